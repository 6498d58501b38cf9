package net.trustbl.ui;

import net.trustbl.member.AccountService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forwarding spam by mail needs the whole address: alias, @, and the configured intake domain. */
@QuarkusTest
class ReportAddressPageTest {

    @Inject
    AccountService accounts;

    @Test
    void theMailHostsPageShowsTheFullReportAddressWithTheConfiguredDomain() {
        Api.Member m = Api.newMember();
        String alias = given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me")
                .then().statusCode(200).extract().jsonPath().getString("reportAlias");
        String page = WebClient.loggedIn(accounts, m).get("/mailhosts").asString();
        assertTrue(page.contains("<code>" + alias + "@reports.trustbl.test</code>"), page);
        assertTrue(!page.contains("@reports.…"), "no elided domain");
    }

    @Test
    void aMemberMakesANewReportAddressOnThePageAndTheOldOneIsGone() {
        Api.Member m = Api.newMember();
        String old = given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me")
                .then().statusCode(200).extract().jsonPath().getString("reportAlias");
        WebClient web = WebClient.loggedIn(accounts, m);
        String page = web.submit("/mailhosts", "/mailhosts/report-address", java.util.Map.of()).asString();
        String fresh = given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me")
                .then().statusCode(200).extract().jsonPath().getString("reportAlias");
        assertTrue(!fresh.equals(old), "a new alias");
        assertTrue(page.contains("<code>" + fresh + "@reports.trustbl.test</code>"), page);
        assertTrue(page.contains("A new report address is active"), page);
        assertTrue(!page.contains(old + "@"), "the old address is not shown");
        // without the page's CSRF token nothing changes
        assertTrue(web.post("/mailhosts/report-address", java.util.Map.of("csrf", "forged")).statusCode() == 403);
    }
}
