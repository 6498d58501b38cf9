package net.trustbl.admin;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closed registration, tiny rate limits: admin actions are audited, reports and the key API answer
 * 429 with Retry-After. (Own profile: the buckets here are shared by the methods, in order.)
 */
@QuarkusTest
@TestProfile(LimitsAndAuditTest.Limits.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsAndAuditTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "trustbl.registration.open", "false",
                    "trustbl.reports.rate-per-second", "0.001",
                    "trustbl.reports.burst", "3",
                    "trustbl.keys.attempts-per-client-per-minute", "0.001",
                    "trustbl.keys.attempts-per-client-burst", "8",
                    "trustbl.keys.failures-per-email-per-minute", "0.001",
                    "trustbl.keys.failures-per-email-burst", "3");
        }
    }

    private static final String PASSWORD = "correct horse battery";
    private static String adminKey;
    private static long memberId;
    private static String memberEmail;

    @Inject
    DataSource db;

    private List<String> audit(String action) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT target || ' ' || coalesce(detail, '') FROM audit_log WHERE action = ? ORDER BY id")) {
            ps.setString(1, action);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void adminsCreatingMembersWhileRegistrationIsClosedAndRevokingOthersKeysAreAudited() throws Exception {
        adminKey = Api.createKey(Api.ADMIN_EMAIL, Api.ADMIN_PASSWORD);        // key attempt 1
        memberEmail = "closed-" + System.nanoTime() + "@example.org";
        Map<String, String> reg = Map.of("email", memberEmail, "password", PASSWORD);
        given().contentType(ContentType.JSON).body(reg).post("/api/v1/members").then().statusCode(401);
        memberId = given().header("Authorization", "Bearer " + adminKey).contentType(ContentType.JSON).body(reg)
                .post("/api/v1/members").then().statusCode(201).extract().jsonPath().getLong("id");
        List<String> created = audit("create-member");
        assertEquals(1, created.size(), created.toString());
        assertTrue(created.get(0).startsWith("member:" + memberId), created.toString());

        String memberKey = Api.createKey(memberEmail, PASSWORD);              // key attempt 2
        long keyId = given().header("Authorization", "Bearer " + memberKey).get("/api/v1/keys")
                .then().statusCode(200).extract().jsonPath().getLong("[0].id");
        given().header("Authorization", "Bearer " + adminKey).delete("/api/v1/keys/" + keyId).then().statusCode(204);
        given().header("Authorization", "Bearer " + memberKey).get("/api/v1/me").then().statusCode(401);
        List<String> revoked = audit("revoke-key");
        assertEquals(1, revoked.size(), revoked.toString());
        assertTrue(revoked.get(0).startsWith("member:" + memberId) && revoked.get(0).contains("key " + keyId), revoked.toString());
    }

    @Test
    @Order(2)
    void reportsOverTheRateGet429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            Api.report(adminKey, Api.freshIp(), "spam").then().statusCode(202);
        }
        given().header("Authorization", "Bearer " + adminKey).contentType(ContentType.JSON)
                .body(Map.of("ip", Api.freshIp(), "verdict", "spam")).post("/api/v1/reports")
                .then().statusCode(429).header("Retry-After", notNullValue())
                .contentType("application/problem+json").body("rule", equalTo("rate-limit"));
        // trap hits share the same per-key bucket
        given().header("Authorization", "Bearer " + adminKey).contentType(ContentType.JSON)
                .body(Map.of("ip", Api.freshIp())).post("/api/v1/trap-hits")
                .then().statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    @Order(3)
    void passwordGuessesOnTheKeyApiAreThrottledPerEmailAndPerClient() {
        for (int i = 0; i < 3; i++) {                                          // key attempts 3-5
            given().auth().preemptive().basic(memberEmail, "wrong-" + i).contentType(ContentType.JSON)
                    .body(Map.of("label", "x")).post("/api/v1/keys").then().statusCode(401);
        }
        // the email is locked for now, even with the right password (no bcrypt is spent)
        given().auth().preemptive().basic(memberEmail, PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("label", "x")).post("/api/v1/keys")
                .then().statusCode(429).header("Retry-After", notNullValue()).contentType("application/problem+json");
        // other emails from the same client: its bucket (8) runs out
        for (int i = 0; i < 3; i++) {                                          // key attempts 6-8
            given().auth().preemptive().basic("nobody" + i + "@example.org", "x").contentType(ContentType.JSON)
                    .body(Map.of("label", "x")).post("/api/v1/keys").then().statusCode(401);
        }
        given().auth().preemptive().basic("nobody9@example.org", "x").contentType(ContentType.JSON)
                .body(Map.of("label", "x")).post("/api/v1/keys")
                .then().statusCode(429).header("Retry-After", notNullValue());
    }
}
