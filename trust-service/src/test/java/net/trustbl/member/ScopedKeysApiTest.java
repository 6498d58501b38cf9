package net.trustbl.member;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import net.trustbl.support.Api;
import net.trustbl.support.RawMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Least privilege for machines (issue 12): a scoped key works on its one route and gets 403
 * problem+json everywhere else; member keys get 403 on the machine routes; only admins make them.
 */
@QuarkusTest
class ScopedKeysApiTest {

    /** Every route a key might try, with a body that would pass validation for the right caller. */
    private record Call(String name, String method, String path, String contentType, Object body) {

        Response send(String key) {
            var req = given().header("Authorization", "Bearer " + key);
            if (body instanceof byte[] bytes) {
                req = req.contentType(contentType).body(bytes);
            } else if (body != null) {
                req = req.contentType(contentType).body(body);
            }
            return "GET".equals(method) ? req.get(path) : "PUT".equals(method) ? req.put(path) : req.post(path);
        }
    }

    private static byte[] spam(String sourceIp) {
        return RawMessages.spam(sourceIp, "s" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    }

    private static String aliasOf(Api.Member m) {
        return given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me").then().statusCode(200)
                .extract().jsonPath().getString("reportAlias");
    }

    private static Call traffic(String ip) {
        return new Call("traffic", "POST", "/api/v1/traffic", "application/json", List.of(Map.of("ip", ip, "lookups", 3)));
    }

    private static Call trapHit(String ip) {
        return new Call("trap-hits", "POST", "/api/v1/trap-hits", "application/json", List.of(Map.of("ip", ip)));
    }

    private static Call intakeAlias(String alias) {
        return new Call("intake alias", "GET", "/api/v1/intake/aliases/" + alias, null, null);
    }

    private static Call intakeRaw(String alias, String ip) {
        return new Call("intake raw", "POST", "/api/v1/intake/raw/" + alias, "message/rfc822", spam(ip));
    }

    /** Member and admin routes: no scoped key may use any of them. */
    private static List<Call> memberAndAdminRoutes(long someMember) {
        return List.of(
                new Call("me", "GET", "/api/v1/me", null, null),
                new Call("query key", "POST", "/api/v1/me/query-key", "application/json", Map.of()),
                new Call("keys", "GET", "/api/v1/keys", null, null),
                new Call("report", "POST", "/api/v1/reports", "application/json", Map.of("ip", Api.freshIp(), "verdict", "spam")),
                new Call("own reports", "GET", "/api/v1/reports", null, null),
                new Call("raw report", "POST", "/api/v1/reports/raw", "message/rfc822", spam(Api.freshIp())),
                new Call("rules", "GET", "/api/v1/rules", null, null),
                new Call("mailhosts", "GET", "/api/v1/mailhosts", null, null),
                new Call("pin trust", "PUT", "/api/v1/admin/members/" + someMember + "/trust", "application/json",
                        Map.of("trust", 1.0, "pinned", true)),
                new Call("suspend", "POST", "/api/v1/admin/members/" + someMember + "/suspension", "application/json",
                        Map.of("suspended", true)),
                new Call("list machine keys", "GET", "/api/v1/admin/keys", null, null),
                new Call("make machine key", "POST", "/api/v1/admin/keys", "application/json",
                        Map.of("scope", "traffic", "label", "escalation")));
    }

    private static void assertForbidden(Call call, String key, String who) {
        Response r = call.send(key);
        assertEquals(403, r.statusCode(), who + " on " + call.name() + ": " + r.asString());
        assertTrue(r.contentType().startsWith("application/problem+json"), who + " on " + call.name() + ": " + r.contentType());
    }

    @Test
    void eachScopeWorksOnItsRouteAndIsForbiddenEverywhereElse() {
        Api.Member victim = Api.newMember();
        String alias = aliasOf(victim);
        String trafficKey = Api.machineKey("traffic", "dns-2");
        String intakeKey = Api.machineKey("intake", "intake-gw");
        String trapKey = Api.machineKey("trap-feed", "traps");

        // its own route
        String counted = Api.freshIp();
        traffic(counted).send(trafficKey).then().statusCode(202).body("accepted", equalTo(1));
        given().get("/api/v1/lookup/" + counted).then().body("evidence.lookups", equalTo(3));
        intakeAlias(alias).send(intakeKey).then().statusCode(200).body("memberId", equalTo((int) victim.id()));
        intakeRaw(alias, "185.12.34.71").send(intakeKey).then().statusCode(202)
                .body("reports[0].sourceIp", equalTo("185.12.34.71"));
        given().header("Authorization", "Bearer " + victim.key()).get("/api/v1/reports")
                .then().body("ip", hasItem("185.12.34.71")); // filed as the member the alias names
        // a trap-feed key is the operator's trap network: one hit lists alone (full weight)
        String trapped = Api.freshIp();
        trapHit(trapped).send(trapKey).then().statusCode(202);
        given().get("/api/v1/lookup/" + trapped).then().body("listed", equalTo(true)).body("returnCode", equalTo("127.0.0.3"));

        // every other route: 403 problem+json, and nothing happened
        Map<String, List<Call>> elsewhere = Map.of(
                trafficKey, List.of(trapHit(Api.freshIp()), intakeAlias(alias), intakeRaw(alias, "185.12.34.72")),
                intakeKey, List.of(traffic(Api.freshIp()), trapHit(Api.freshIp())),
                trapKey, List.of(traffic(Api.freshIp()), intakeAlias(alias), intakeRaw(alias, "185.12.34.73")));
        for (var e : elsewhere.entrySet()) {
            for (Call c : e.getValue()) {
                assertForbidden(c, e.getKey(), "a scoped key");
            }
            for (Call c : memberAndAdminRoutes(victim.id())) {
                assertForbidden(c, e.getKey(), "a scoped key");
            }
        }
        given().header("Authorization", "Bearer " + victim.key()).get("/api/v1/me").then().statusCode(200)
                .body("status", equalTo("active")).body("trustPinned", equalTo(false));
        given().header("Authorization", "Bearer " + victim.key()).get("/api/v1/reports")
                .then().body("ip", org.hamcrest.Matchers.not(hasItem("185.12.34.72")));
    }

    @Test
    void memberKeysAreForbiddenOnTheMachineRoutes() {
        Api.Member m = Api.newMember();
        Api.pinTrust(m.id(), 0.2); // below trustbl.traps.min-trust
        String alias = aliasOf(m);
        for (Call c : List.of(traffic(Api.freshIp()), intakeAlias(alias), intakeRaw(alias, "185.12.34.74"),
                trapHit(Api.freshIp()))) {
            assertForbidden(c, m.key(), "a member key");
        }
        // and members cannot make machine keys for themselves
        assertForbidden(new Call("make machine key", "POST", "/api/v1/admin/keys", "application/json",
                Map.of("scope", "trap-feed", "label", "mine")), m.key(), "a member key");
    }

    @Test
    void aTrustedMembersTrapHitsStillWeighItsTrustNotTheOperators() {
        Api.Member m = Api.newMember();
        Api.pinTrust(m.id(), 0.6);
        String ip = Api.freshIp();
        trapHit(ip).send(m.key()).then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(false));
    }

    @Test
    void adminsMakeListAndRevokeMachineKeys() {
        String admin = Api.adminKey();
        given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(Map.of("scope", "everything", "label", "x")).post("/api/v1/admin/keys")
                .then().statusCode(422).contentType(containsString("problem+json"))
                .body("field", equalTo("scope")).body("rule", equalTo("one-of"));
        given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(Map.of("label", "x")).post("/api/v1/admin/keys")
                .then().statusCode(422).body("field", equalTo("scope")).body("rule", equalTo("required"));

        var created = given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(Map.of("scope", "traffic", "label", "dns-9")).post("/api/v1/admin/keys")
                .then().statusCode(201).body("scope", equalTo("traffic")).body("label", equalTo("dns-9")).extract();
        long id = created.jsonPath().getLong("id");
        String key = created.jsonPath().getString("key");
        given().header("Authorization", "Bearer " + admin).get("/api/v1/admin/keys").then().statusCode(200)
                .body("find { it.id == " + id + " }.scope", equalTo("traffic"))
                .body("find { it.id == " + id + " }.label", equalTo("dns-9"));
        given().header("Authorization", "Bearer " + admin).get("/api/v1/keys").then().statusCode(200)
                .body("find { it.id == " + id + " }.scope", equalTo("traffic"));

        traffic(Api.freshIp()).send(key).then().statusCode(202);
        given().header("Authorization", "Bearer " + admin).delete("/api/v1/keys/" + id).then().statusCode(204);
        traffic(Api.freshIp()).send(key).then().statusCode(401);
    }

    @Test
    void adminKeysStillWorkOnTheMachineRoutes() {
        String ip = Api.freshIp();
        traffic(ip).send(Api.adminKey()).then().statusCode(202);
        trapHit(ip).send(Api.adminKey()).then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true));
    }
}
