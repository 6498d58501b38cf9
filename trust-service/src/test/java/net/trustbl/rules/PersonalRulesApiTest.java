package net.trustbl.rules;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import net.trustbl.member.AccountService;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class PersonalRulesApiTest {

    @Inject
    AccountService accounts;

    @Test
    void rulesAreValidatedStoredCanonicallyAndPrivateToTheMember() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        accounts.confirmEmail(a.id());
        given().header("Authorization", "Bearer " + a.key()).get("/api/v1/rules")
                .then().statusCode(200).body("threshold", nullValue()).body("allow", hasSize(0));
        given().header("Authorization", "Bearer " + a.key()).contentType(ContentType.JSON)
                .body(Map.of("threshold", 2.5, "allow", List.of("45.3.3.3"), "deny", List.of("2A01:4F8:0:0::/64", "91.9.9.0/24")))
                .put("/api/v1/rules").then().statusCode(200).body("deny[0]", equalTo("2a01:4f8::/64"));
        given().header("Authorization", "Bearer " + a.key()).get("/api/v1/rules")
                .then().body("threshold", equalTo(2.5f)).body("deny", hasSize(2));
        given().header("Authorization", "Bearer " + b.key()).get("/api/v1/rules")
                .then().body("threshold", nullValue()).body("deny", hasSize(0));

        given().header("Authorization", "Bearer " + a.key()).contentType(ContentType.JSON)
                .body(Map.of("allow", List.of("45.3.3.3", "bogus")))
                .put("/api/v1/rules").then().statusCode(422).body("field", equalTo("allow")).body("index", equalTo(1));
        Map<String, Object> bad = new HashMap<>();
        bad.put("threshold", 0.0);
        given().header("Authorization", "Bearer " + a.key()).contentType(ContentType.JSON).body(bad)
                .put("/api/v1/rules").then().statusCode(422).body("field", equalTo("threshold"));
    }

    @Test
    void onlyConfirmedMembersSetRulesAndChangesAreRateLimited() {
        Api.Member m = Api.newMember(); // registered, email not confirmed: a mailbox-free account
        Map<String, Object> rules = Map.of("allow", List.of(), "deny", List.of("198.51.100.0/24"));
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body(rules)
                .put("/api/v1/rules").then().statusCode(403);
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON)
                .body(Map.of("allow", List.of(), "deny", List.of())).put("/api/v1/rules")
                .then().statusCode(200); // clearing is always allowed
        accounts.confirmEmail(m.id());
        int saved = 0;
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            int code = given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body(rules)
                    .put("/api/v1/rules").then().extract().statusCode();
            if (code == 200) {
                saved++;
            } else {
                assertEquals(429, code);
                limited++;
            }
        }
        assertTrue(saved >= 1 && limited >= 1, "some changes saved, the rest limited: " + saved + "/" + limited);
    }

    @Test
    void newQueryKeysAreRateLimitedLikeRuleChanges() {
        // each new key swaps the member's DNS view on every replica, as a rules change does
        Api.Member m = Api.newMember();
        int made = 0;
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            int code = given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).post("/api/v1/me/query-key")
                    .then().extract().statusCode();
            if (code == 200) {
                made++;
            } else {
                assertEquals(429, code);
                limited++;
            }
        }
        assertTrue(made >= 1 && made <= 7 && limited >= 5, "the burst of 6 (and a refill), then 429: " + made + "/" + limited);
    }
}
