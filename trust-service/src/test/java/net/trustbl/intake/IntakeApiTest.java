package net.trustbl.intake;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class IntakeApiTest {

    @jakarta.inject.Inject
    net.trustbl.member.AccountService accounts;


    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String spam(String sourceIp, String messageId) {
        return net.trustbl.support.RawMessages.spam(sourceIp, messageId);
    }

    @Test
    void aForwardedSpamIsFiledWithItsSourceAndCountsOnce() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id()); // its reports weigh: only those become public samples
        String body = spam("185.12.34.56", "m" + System.nanoTime());
        given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822").body(bytes(body))
                .post("/api/v1/reports/raw").then().statusCode(202)
                .body("reports", hasSize(1))
                .body("reports[0].id", notNullValue())
                .body("reports[0].sourceIp", equalTo("185.12.34.56"))
                .body("reports[0].strength", equalTo(0.5f)); // no mail hosts registered: weaker evidence
        given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822").body(bytes(body))
                .post("/api/v1/reports/raw").then().statusCode(202)
                .body("reports[0].duplicateOf", notNullValue());
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/reports")
                .then().body("$", hasSize(1)).body("[0].channel", equalTo("email"));
        // the public lookup API shows redacted evidence: arrival, HELO/rDNS as received; no subject
        // (trustbl.evidence.show-subject is off), never recipients, the reporter or the body
        String lookup = given().get("/api/v1/lookup/185.12.34.56").then().statusCode(200)
                .body("samples", hasSize(1))
                .body("samples[0].helo", org.hamcrest.Matchers.nullValue()) // one member's: a HELO per recipient would name it
                .body("samples[0].receivedAt", org.hamcrest.Matchers.endsWith("T00:00:00Z")) // the day, not the second
                .body("samples[0].subject", org.hamcrest.Matchers.nullValue())
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(lookup.contains("user@example.org"), lookup);
        org.junit.jupiter.api.Assertions.assertFalse(lookup.contains(m.email()), lookup);
        org.junit.jupiter.api.Assertions.assertFalse(lookup.contains("Buy now"), lookup);

        // an account whose reports weigh nothing adds no sample; a second weighed member shows the HELO
        Api.Member unconfirmed = Api.newMember();
        given().header("Authorization", "Bearer " + unconfirmed.key()).contentType("message/rfc822")
                .body(bytes(spam("185.12.34.56", "u" + System.nanoTime()))).post("/api/v1/reports/raw").then().statusCode(202);
        given().get("/api/v1/lookup/185.12.34.56").then().body("samples", hasSize(1));
        Api.Member second = Api.newMember();
        accounts.confirmEmail(second.id());
        given().header("Authorization", "Bearer " + second.key()).contentType("message/rfc822")
                .body(bytes(spam("185.12.34.56", "s" + System.nanoTime()))).post("/api/v1/reports/raw").then().statusCode(202);
        given().get("/api/v1/lookup/185.12.34.56").then().body("samples", hasSize(2))
                .body("samples[0].helo", equalTo("spammer.example.net"));
    }

    @Test
    void registeredMailhostsMakeFullStrengthEvidence() {
        Api.Member m = Api.newMember();
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON)
                .body(Map.of("hosts", List.of("mx.example.org", "81.2.3.0/28")))
                .put("/api/v1/mailhosts").then().statusCode(200).body("hosts", hasSize(2));
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/mailhosts")
                .then().body("hosts[0]", equalTo("mx.example.org"));
        given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822")
                .body(bytes(spam("185.12.34.57", "s" + System.nanoTime())))
                .post("/api/v1/reports/raw").then().statusCode(202)
                .body("reports[0].sourceIp", equalTo("185.12.34.57"))
                .body("reports[0].strength", equalTo(1.0f));
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON)
                .body(Map.of("hosts", List.of("not a host!")))
                .put("/api/v1/mailhosts").then().statusCode(422).body("field", equalTo("hosts"));
    }

    @Test
    void aMessageWithoutAUsableSourceIs422AndTooBigIs413() {
        Api.Member m = Api.newMember();
        given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822")
                .body(bytes("Received: from lan.example (lan.example [10.0.0.7]) by mx.example.org; Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                        + "Subject: hi\r\nMessage-ID: <p" + System.nanoTime() + "@x>\r\n\r\nbody\r\n"))
                .post("/api/v1/reports/raw").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("source"));
        given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822")
                .body(bytes("Subject: hello\r\n\r\nno received lines\r\n"))
                .post("/api/v1/reports/raw").then().statusCode(422);
        String big = spam("185.12.34.58", "b" + System.nanoTime()) + "x".repeat(600_000);
        given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822").body(bytes(big))
                .post("/api/v1/reports/raw").then().statusCode(413);
    }

    @Test
    void reportIntakeResolvesAliasesForAdminKeysOnly() {
        Api.Member m = Api.newMember();
        String alias = given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me")
                .then().extract().jsonPath().getString("reportAlias");
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/intake/aliases/" + alias).then().statusCode(403);
        given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/intake/aliases/" + alias)
                .then().statusCode(200).body("memberId", equalTo((int) m.id()));
        given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/intake/aliases/nosuchalias")
                .then().statusCode(404);
        given().header("Authorization", "Bearer " + Api.adminKey()).contentType("message/rfc822")
                .body(bytes(spam("185.12.34.59", "i" + System.nanoTime())))
                .post("/api/v1/intake/raw/" + alias).then().statusCode(202).body("reports[0].sourceIp", equalTo("185.12.34.59"));
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/reports").then().body("$", hasSize(1));
    }

    @Test
    void aMemberReplacesALeakedReportAddressAndTheOldOneStopsWorking() {
        Api.Member m = Api.newMember();
        String intake = Api.machineKey("intake", "alias-" + System.nanoTime());
        String old = given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me")
                .then().statusCode(200).extract().jsonPath().getString("reportAlias");
        given().header("Authorization", "Bearer " + intake).get("/api/v1/intake/aliases/" + old)
                .then().statusCode(200).body("memberId", equalTo((int) m.id()));
        String fresh = given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).post("/api/v1/me/report-alias")
                .then().statusCode(200).body("id", equalTo((int) m.id())).extract().jsonPath().getString("reportAlias");
        org.junit.jupiter.api.Assertions.assertNotEquals(old, fresh);
        given().header("Authorization", "Bearer " + intake).get("/api/v1/intake/aliases/" + old).then().statusCode(404);
        given().header("Authorization", "Bearer " + intake).get("/api/v1/intake/aliases/" + fresh)
                .then().statusCode(200).body("memberId", equalTo((int) m.id()));
    }
}
