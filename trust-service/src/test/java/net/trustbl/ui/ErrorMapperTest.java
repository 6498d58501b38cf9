package net.trustbl.ui;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import net.trustbl.common.ErrorPages;
import org.junit.jupiter.api.Test;


import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17: one error mapper answers a browser with an HTML page and an API client with problem+json. */
@QuarkusTest
class ErrorMapperTest {

    @Test
    void theChoiceFollowsPathThenAccept() {
        assertTrue(ErrorPages.wantsHtml("/admin/moderation/1", "text/html,application/xhtml+xml,*/*;q=0.8"));
        assertTrue(ErrorPages.wantsHtml("/lookup/x", "*/*"));
        assertTrue(ErrorPages.wantsHtml("/lookup/x", null));
        assertFalse(ErrorPages.wantsHtml("/lookup/x", "application/json"));
        assertFalse(ErrorPages.wantsHtml("/lookup/x", "application/problem+json"));
        assertFalse(ErrorPages.wantsHtml("/api/v1/lookup/x", "text/html"), "the API always answers problem+json");
        assertFalse(ErrorPages.wantsHtml("/q/health", "text/html"));
    }

    @Test
    void aFailureOnAPagePathIsAPageForABrowserAndProblemJsonForAJsonClient() {
        Response page = given().header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").get("/no-such-page/at-all");
        assertEquals(404, page.statusCode());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        Response json = given().header("Accept", "application/json, */*;q=0.1").get("/no-such-page/at-all");
        assertEquals(404, json.statusCode());
        assertTrue(json.contentType().startsWith("application/problem+json"), json.contentType());
        assertEquals(404, json.jsonPath().getInt("status"));
    }

    @Test
    void theApiAnswersProblemJsonEvenToABrowser() {
        Response r = given().header("Accept", "text/html").get("/api/v1/lookup/not-an-address");
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, String.valueOf(r.statusCode()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    }

    @Test
    void noSuchPageIsAnHtmlPageAndNoSuchApiRouteIsProblemJson() {
        Response page = given().header("Accept", "text/html").get("/no-such-page-here");
        assertEquals(404, page.statusCode());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        assertTrue(page.asString().contains("There is no page at this address"));
        Response api = given().get("/api/v1/no-such-route");
        assertEquals(404, api.statusCode());
        assertTrue(api.contentType().startsWith("application/problem+json"), api.contentType());
    }
}
