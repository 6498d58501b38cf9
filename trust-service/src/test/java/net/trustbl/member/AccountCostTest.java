package net.trustbl.member;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import net.trustbl.cluster.ClientAddress;
import net.trustbl.support.Api;
import net.trustbl.support.RawMessages;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts cost something (issue 12): registrations are limited per client, per network and in
 * all; an account's reports weigh nothing until its email is confirmed; reports and raw messages
 * have daily quotas per account. The profile turns the test-wide trust in X-Forwarded-For off, so
 * that the only way to be another client is the signed statement a standby replica sends; and it
 * lets fresh confirmed accounts count in the engine (no minimum age), so that weighing shows.
 */
@QuarkusTest
@TestProfile(AccountCostTest.Limits.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountCostTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("quarkus.http.proxy.proxy-address-forwarding", "false"),
                    Map.entry("trustbl.registration.per-address-per-hour", "5"),
                    Map.entry("trustbl.registration.per-network-per-hour", "20"),
                    Map.entry("trustbl.registration.global-per-hour", "40"),
                    Map.entry("trustbl.registration.reserved-per-hour", "3"),
                    Map.entry("trustbl.reports.daily-cap", "30"),
                    Map.entry("trustbl.reports.daily-cap-new", "10"),
                    Map.entry("trustbl.reports.raw-per-day-new", "10"),
                    Map.entry("trustbl.reports.raw-bytes-per-day-new", "5242880"),
                    Map.entry("trustbl.engine.min-member-age", "0s"),
                    Map.entry("trustbl.engine.min-reporter-trust", "0.01"));
        }
    }

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final String PASSWORD = "correct horse battery";

    @Inject
    ClientAddress clientAddress;

    @Inject
    AccountService accounts;

    @Inject
    DailyCounters counters;

    @Inject
    DataSource dataSource;

    /** A request from {@code client} as a standby replica states it (signed with the cluster's key). */
    private RequestSpecification from(String client) {
        return given().header(ClientAddress.HEADER, clientAddress.sign(client));
    }

    private static Response register(RequestSpecification from, String email) {
        return from.contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD)).post("/api/v1/members");
    }

    private static String email() {
        return "cost" + CLIENTS.incrementAndGet() + "-" + System.nanoTime() + "@example.org";
    }

    /** A member registered from a network of its own, with a key; confirmed by mail or not. */
    private Api.Member member(boolean confirmed) {
        int n = CLIENTS.incrementAndGet();
        String email = email();
        long id = register(from("100." + (64 + n / 250) + "." + (n % 250) + ".9"), email).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        if (confirmed) {
            accounts.confirmEmail(id);
        }
        return new Api.Member(id, email, PASSWORD, null, Api.createKey(email, PASSWORD));
    }

    @Test
    @Order(1)
    void sixtyRegistrationsFromOneClientGetFiveAccountsWhateverXForwardedForSays() {
        int created = 0;
        List<Response> refused = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // the client claims another address each time, by X-Forwarded-For and by a forged replica header
            Response r = given().header("X-Forwarded-For", "198.51.100." + (i + 1))
                    .header(ClientAddress.HEADER, "198.51.100." + (i + 1) + " " + System.currentTimeMillis() / 1000 + " forged")
                    .contentType(ContentType.JSON).body(Map.of("email", email(), "password", PASSWORD))
                    .post("/api/v1/members");
            if (r.statusCode() == 201) {
                created++;
            } else {
                refused.add(r);
            }
        }
        assertEquals(5, created, "trustbl.registration.per-address-per-hour");
        assertEquals(55, refused.size());
        for (Response r : refused) {
            assertEquals(429, r.statusCode());
            assertEquals("application/problem+json", r.contentType());
            assertTrue(Long.parseLong(r.header("Retry-After")) > 0);
            assertEquals("registration-rate", r.jsonPath().getString("rule"));
        }
        // other clients still register
        register(from("203.0.113.10"), email()).then().statusCode(201);
        register(from("192.0.2.77"), email()).then().statusCode(201);
    }

    @Test
    @Order(2)
    void ipv6ClientsInOneSlash64ShareABucketAndTheNextSlash64DoesNot() {
        for (int i = 1; i <= 5; i++) {
            register(from("2001:db8:77:1::" + Integer.toHexString(i * 4099)), email()).then().statusCode(201);
        }
        register(from("2001:db8:77:1:ffff:1:2:3"), email()).then().statusCode(429).header("Retry-After", notNullValue());
        register(from("2001:db8:77:2::1"), email()).then().statusCode(201);
    }

    @Test
    @Order(4)
    void anUnconfirmedAccountsReportIsStoredButWeighsNothingAConfirmedOnesDoes() {
        Api.Member unconfirmed = member(false);
        Api.Member confirmed = member(true);
        String ip = Api.freshIp();

        Api.report(unconfirmed.key(), ip, "spam").then().statusCode(202).body("[0].weighed", equalTo(false));
        given().header("Authorization", "Bearer " + unconfirmed.key()).get("/api/v1/reports").then().statusCode(200)
                .body("[0].ip", equalTo(ip))
                .body("[0].weighed", equalTo(false))
                .body("[0].notWeighed", equalTo("not weighed: email not confirmed"));
        given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/lookup/" + ip).then().statusCode(200).body("score", equalTo(0.0f))
                .body("evidence.spamReports", equalTo(0));
        assertEquals(0.0, strengthOfLastReport(unconfirmed.id()));

        Api.report(confirmed.key(), ip, "spam").then().statusCode(202).body("[0].weighed", nullValue());
        given().header("Authorization", "Bearer " + confirmed.key()).get("/api/v1/reports").then()
                .body("[0].weighed", equalTo(true)).body("[0].notWeighed", nullValue());
        float score = given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/lookup/" + ip).then().statusCode(200).extract().jsonPath().getFloat("score");
        assertTrue(score > 0, "a confirmed account's report moves the score: " + score);
        assertEquals(1.0, strengthOfLastReport(confirmed.id()));
    }

    @Test
    @Order(5)
    void aNewAccountsDailyCapCoversAllItsKeysAndAnsweres429UntilMidnightUtc() throws Exception {
        Api.Member fresh = member(false);
        String secondKey = Api.createKey(fresh.email(), PASSWORD);
        given().header("Authorization", "Bearer " + fresh.key()).contentType(ContentType.JSON)
                .body(reports(6)).post("/api/v1/reports").then().statusCode(202);
        given().header("Authorization", "Bearer " + secondKey).contentType(ContentType.JSON)
                .body(reports(4)).post("/api/v1/reports").then().statusCode(202);
        Response over = Api.report(secondKey, Api.freshIp(), "spam");
        over.then().statusCode(429).contentType("application/problem+json").body("rule", equalTo("daily-cap"));
        long retry = Long.parseLong(over.header("Retry-After"));
        assertTrue(retry > 0 && retry <= 86_400, "until the UTC day rolls over: " + retry);

        // a confirmed account (no minimum age in this profile) has the larger cap
        Api.Member regular = member(true);
        given().header("Authorization", "Bearer " + regular.key()).contentType(ContentType.JSON)
                .body(reports(30)).post("/api/v1/reports").then().statusCode(202);
        Api.report(regular.key(), Api.freshIp(), "spam").then().statusCode(429).body("rule", equalTo("daily-cap"));

        // the day's count survives a restart: it is in the table
        counters.flush();
        assertEquals(10L, storedQuota(fresh.id(), "reports"));
    }

    @Test
    @Order(6)
    void aNewAccountsEleventhRawMessageOfTheDayGets429() {
        Api.Member fresh = member(false);
        for (int i = 0; i < 10; i++) {
            raw(fresh, i).then().statusCode(202).body("reports[0].weighed", equalTo(false));
        }
        raw(fresh, 10).then().statusCode(429).contentType("application/problem+json")
                .body("field", equalTo("message")).body("rule", equalTo("daily-count"))
                .header("Retry-After", notNullValue());
        Api.Member regular = member(true);
        for (int i = 0; i < 11; i++) {
            raw(regular, i).then().statusCode(202);
        }
    }

    @Test
    @Order(8)
    void eachSpamInARawMessageCountsAgainstTheDailyReportCap() {
        // a message attaches up to 20 spams; each files a report, so each counts like a report sent through the API
        Api.Member fresh = member(false);
        forward(fresh, 11, "over").then().statusCode(429).contentType("application/problem+json")
                .body("rule", equalTo("daily-cap"));
        given().header("Authorization", "Bearer " + fresh.key()).get("/api/v1/reports").then().body("$", hasSize(0));
        forward(fresh, 10, "fits").then().statusCode(202).body("reports", hasSize(10));
        forward(fresh, 1, "one more").then().statusCode(429).body("rule", equalTo("daily-cap"));
        // the refused messages filed nothing, and their spams stay unclaimed for when the cap renews
        given().header("Authorization", "Bearer " + fresh.key()).get("/api/v1/reports").then().body("$", hasSize(10));
    }

    private static Response forward(Api.Member m, int spams, String tag) {
        StringBuilder sb = new StringBuilder("From: bob@example.org\r\nTo: report@trustbl.example\r\nSubject: Fwd\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        for (int i = 0; i < spams; i++) {
            sb.append("--b0\r\nContent-Type: message/rfc822\r\n\r\n")
                    .append(RawMessages.spam("185.13.34." + (i + 20), tag + i + "-" + System.nanoTime())).append("\r\n");
        }
        sb.append("--b0--\r\n");
        return given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822")
                .body(sb.toString().getBytes(StandardCharsets.UTF_8)).post("/api/v1/reports/raw");
    }

    @Test
    @Order(7)
    void membersAnAdminCreatesCountAsConfirmedAndAreNotThrottled() {
        String admin = Api.createKey(Api.ADMIN_EMAIL, Api.ADMIN_PASSWORD);
        String email = email();
        // from 127.0.0.1, whose registrations were used up above
        given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD)).post("/api/v1/members").then().statusCode(201);
        String key = Api.createKey(email, PASSWORD);
        Api.report(key, Api.freshIp(), "spam").then().statusCode(202).body("[0].weighed", nullValue());
        // a member's key is no way around the limits
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("email", email(), "password", PASSWORD)).post("/api/v1/members").then().statusCode(403);
    }

    @Test
    @Order(100)
    void registrationsInAllAreLimitedTooWithAReserveThatTheNetworksWhichSpentTheOpenShareCannotReach() {
        // ten from each /24 in turn (two clients of five), as a botnet would, until the open share (40) is spent
        Response refused = null;
        int k = 0;
        for (; k < 60 && refused == null; k++) {
            Response r = register(from("100.100." + k / 10 + "." + (k % 10 / 5 + 1)), email());
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertEquals(201, r.statusCode());
            }
        }
        assertNotNull(refused, "trustbl.registration.global-per-hour (40) reached");
        assertEquals("application/problem+json", refused.contentType());
        assertEquals("registration-rate", refused.jsonPath().getString("rule"));
        assertTrue(Long.parseLong(refused.header("Retry-After")) > 0);
        // that network spent from the open share (or its one from the reserve): nothing more for it, though
        // it has 10 of its 20 left
        register(from("100.100." + (k - 1) / 10 + ".9"), email()).then().statusCode(429);
        // a network that did not spend from the open share still registers, once, from the reserve (3)
        register(from("100.101.0.1"), email()).then().statusCode(201);
        register(from("100.101.0.2"), email()).then().statusCode(429).contentType("application/problem+json");
        int fresh = 1;
        while (register(from("100.101." + fresh + ".1"), email()).statusCode() == 201) {
            fresh++;
            assertTrue(fresh <= 3, "trustbl.registration.reserved-per-hour (3)");
        }
        assertTrue(fresh >= 2);
        register(from("100.102.0.1"), email()).then().statusCode(429).header("Retry-After", notNullValue())
                .body("rule", equalTo("registration-rate"));
    }

    private static Response raw(Api.Member m, int n) {
        String message = RawMessages.spam("185.12.34." + (n % 200 + 20), "quota" + n + "-" + System.nanoTime());
        return given().header("Authorization", "Bearer " + m.key()).contentType("message/rfc822")
                .body(message.getBytes(StandardCharsets.UTF_8)).post("/api/v1/reports/raw");
    }

    private static List<Map<String, String>> reports(int n) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Map.of("ip", Api.freshIp(), "verdict", "spam"));
        }
        return out;
    }

    private double strengthOfLastReport(long memberId) {
        return query("SELECT strength FROM report WHERE member_id = ? ORDER BY id DESC LIMIT 1", memberId, null);
    }

    private long storedQuota(long memberId, String kind) {
        return (long) query("SELECT amount FROM account_quota WHERE member_id = ? AND kind = ?", memberId, kind);
    }

    private double query(String sql, long memberId, String kind) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, memberId);
            if (kind != null) {
                ps.setString(2, kind);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql);
                return rs.getDouble(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
