package net.trustbl.support;

import io.restassured.http.ContentType;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Small client for tests: registers members, creates keys, pins trust through the real API. */
public final class Api {

    public static final String ADMIN_EMAIL = "admin@trustbl.test";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static String adminKey;

    private Api() {
    }

    public record Member(long id, String email, String password, String queryKey, String key) { }

    public static Member newMember() {
        String email = "member" + COUNTER.incrementAndGet() + "-" + System.nanoTime() + "@example.org";
        String password = "correct horse battery";
        var reg = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password))
                .post("/api/v1/members").then().statusCode(201).extract();
        long id = reg.jsonPath().getLong("id");
        String queryKey = reg.jsonPath().getString("queryKey");
        String key = createKey(email, password);
        return new Member(id, email, password, queryKey, key);
    }

    public static String createKey(String email, String password) {
        return given().auth().preemptive().basic(email, password).contentType(ContentType.JSON)
                .body(Map.of("label", "test")).post("/api/v1/keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
    }

    public static synchronized String adminKey() {
        if (adminKey == null) {
            adminKey = createKey(ADMIN_EMAIL, ADMIN_PASSWORD);
        }
        return adminKey;
    }

    /** A scoped machine key ({@code traffic}, {@code intake}, {@code trap-feed}) made by the admin. */
    public static String machineKey(String scope, String label) {
        return given().header("Authorization", "Bearer " + adminKey()).contentType(ContentType.JSON)
                .body(Map.of("scope", scope, "label", label)).post("/api/v1/admin/keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
    }

    /** An administrator suspends or reactivates a member through the API. */
    public static void suspend(long memberId, boolean suspended) {
        given().header("Authorization", "Bearer " + adminKey()).contentType(ContentType.JSON)
                .body(Map.of("suspended", suspended))
                .post("/api/v1/admin/members/" + memberId + "/suspension").then().statusCode(200);
    }

    public static void pinTrust(long memberId, double trust) {
        given().header("Authorization", "Bearer " + adminKey()).contentType(ContentType.JSON)
                .body(Map.of("trust", trust, "pinned", true))
                .put("/api/v1/admin/members/" + memberId + "/trust").then().statusCode(200);
    }

    public static io.restassured.response.Response report(String key, String ip, String verdict) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("ip", ip, "verdict", verdict)).post("/api/v1/reports");
    }

    /** The two members whose reports listed an address ({@link #listByTwoReporters}). */
    public record Reporters(Member a, Member b) { }

    /** Two new members pinned at trust 0.6 report {@code ip} as spam: together they list it. */
    public static Reporters listByTwoReporters(String ip) {
        Member a = newMember();
        Member b = newMember();
        pinTrust(a.id(), 0.6);
        pinTrust(b.id(), 0.6);
        report(a.key(), ip, "spam").then().statusCode(202);
        report(b.key(), ip, "spam").then().statusCode(202);
        return new Reporters(a, b);
    }

    /** A fresh public IPv4 address for each test so tests do not see each other's listings. */
    public static String freshIp() {
        int n = COUNTER.incrementAndGet();
        return "45." + (n / 250 % 250 + 1) + "." + (n % 250 + 1) + "." + (System.nanoTime() % 200 + 20);
    }
}
