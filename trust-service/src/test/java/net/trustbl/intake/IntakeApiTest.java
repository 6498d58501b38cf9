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
        // the address is not listed: the public lookup withholds its evidence (EvidenceDisclosure)
        given().get("/api/v1/lookup/185.12.34.56").then().statusCode(200).body("listed", equalTo(false))
                .body("evidenceWithheld", equalTo(true)).body("samples", hasSize(0));
        // the lookup API shows redacted evidence (here to an admin): arrival, HELO/rDNS as received; no
        // subject (trustbl.evidence.show-subject is off), never recipients, the reporter or the body
        String lookup = given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/lookup/185.12.34.56").then().statusCode(200)
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
        given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/lookup/185.12.34.56").then().body("samples", hasSize(1));
        Api.Member second = Api.newMember();
        accounts.confirmEmail(second.id());
        given().header("Authorization", "Bearer " + second.key()).contentType("message/rfc822")
                .body(bytes(spam("185.12.34.56", "s" + System.nanoTime()))).post("/api/v1/reports/raw").then().statusCode(202);
        given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/lookup/185.12.34.56").then().body("samples", hasSize(2))
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

    /**
     * A member's inline forward (the mail client's plain "Forward") carries the member's provider's
     * headers: sent to the report address or posted raw, it is refused with the reason and files nothing
     * (it used to be filed against the provider's outbound relay).
     */
    @Test
    void anInlineForwardIsRefusedWithTheReasonAndFilesNothing() {
        Api.Member m = Api.newMember();
        String alias = given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me")
                .then().extract().jsonPath().getString("reportAlias");
        String relay = Api.freshIp();
        // the gateway's Received line names the member's provider's relay; Subject has no prefix: the
        // member's own address as From and the Gmail separator make it a forward
        String inline = "Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [" + relay + "])\r\n"
                + "\tby mx.reports.example.org (TrustBL) with ESMTPS id 7Qa; Mon, 23 Nov 2026 11:00:02 +0000\r\n"
                + "From: Member <" + m.email() + ">\r\nTo: " + alias + "@reports.example.org\r\nSubject: look at this\r\n"
                + "Message-ID: <f" + System.nanoTime() + "@mail.example>\r\nDate: Mon, 23 Nov 2026 11:00:00 +0000\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "---------- Forwarded message ---------\r\nFrom: Bad <bad@spammer.example.net>\r\n"
                + "Subject: Cheap pills\r\n\r\nBuy now.\r\n";
        String detail = given().header("Authorization", "Bearer " + Api.adminKey()).contentType("message/rfc822")
                .body(bytes(inline)).post("/api/v1/intake/raw/" + alias).then().statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("an inline forward"))
                .body("detail", containsString("forward the spam as an attachment"))
                .extract().jsonPath().getString("detail");
        // the gateway answers the forwarding mail with 550 and the first 200 characters of the detail
        org.junit.jupiter.api.Assertions.assertTrue(detail.length() <= 200, detail);
        given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822").body(bytes(inline))
                .post("/api/v1/reports/raw").then().statusCode(422)
                .body("detail", containsString("an inline forward"));
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/reports").then().body("$", hasSize(0));

        // a spam whose own subject says "Fwd:" is still the spam: filed against its source
        String source = Api.freshIp();
        given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822")
                .body(bytes(spam(source, "w" + System.nanoTime()).replace("Subject: Cheap pills", "Subject: Fwd: Cheap pills")))
                .post("/api/v1/reports/raw").then().statusCode(202)
                .body("reports", hasSize(1)).body("reports[0].sourceIp", equalTo(source));
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
