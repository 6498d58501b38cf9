package net.trustbl.ui;

import net.trustbl.member.AccountService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web forms refuse control characters like the API does: 422, the field named, nothing kept. */
@QuarkusTest
class ControlCharacterFormTest {

    @Inject
    AccountService accounts;

    WebClient loggedIn(Api.Member m) {
        return WebClient.loggedIn(accounts, m);
    }

    @Test
    void singleLineFormFieldsRefuseEveryControlCharacter() {
        Api.Member m = Api.newMember();
        WebClient c = loggedIn(m);
        long keysBefore = WebPagesTest.keyCount(m.id());
        for (String label : new String[] {"nul\u0000", "tab\there", "line\nbreak", "del\u007f"}) {
            Response r = c.submit("/keys", "/keys", Map.of("label", label, "password", m.password()));
            assertEquals(422, r.statusCode(), label);
            assertTrue(r.contentType().startsWith("text/html"), "a page, like every other refusal on the web: " + r.contentType());
            assertTrue(r.asString().contains("label: control character U+00"), r.asString());
        }
        assertEquals(keysBefore, WebPagesTest.keyCount(m.id()), "no key was made");
        // public forms too
        Response register = new WebClient().submit("/register", "/register",
                Map.of("email", "new\u0001@example.org", "password", "long enough pw", "password2", "long enough pw"));
        assertEquals(422, register.statusCode());
        assertTrue(register.asString().contains("email: control character U+0001 not allowed"), register.asString());
    }

    @Test
    void multiLineFormFieldsTakeLineBreaksButNoNul() {
        WebClient c = loggedIn(Api.newMember());
        Response bad = c.submit("/reports", "/reports", Map.of("ips", Api.freshIp(), "verdict", "spam", "note", "a\u0000b"));
        assertEquals(422, bad.statusCode());
        assertTrue(bad.asString().contains("note: control character U+0000 not allowed"), bad.asString());
        Response good = c.submit("/reports", "/reports",
                Map.of("ips", Api.freshIp() + "\r\n" + Api.freshIp(), "verdict", "spam", "note", "line one\r\n\tline two"));
        assertEquals(200, good.statusCode());
        assertTrue(good.asString().contains("filed as report #"), good.asString());
    }

    @Test
    void queryParametersAreCheckedToo() {
        WebClient c = loggedIn(Api.newMember());
        // sent as typed: %00 is the NUL character once decoded
        Response page = given().urlEncodingEnabled(false).cookies(c.cookies).get("/reports?ip=%00");
        assertEquals(422, page.statusCode());
        assertTrue(page.asString().contains("ip: control character U+0000 not allowed"), page.asString());
        given().urlEncodingEnabled(false).get("/api/v1/reports?outcome=%01").then().statusCode(422)
                .contentType("application/problem+json");
    }
}
