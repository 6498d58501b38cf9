package net.trustbl.member;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import net.trustbl.support.Api;
import net.trustbl.support.EmbeddedPostgresResource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class MemberApiTest {

    @Test
    void registrationReturnsIdAndADnsSafeQueryKey() {
        given().contentType(ContentType.JSON)
                .body(Map.of("email", "Alice" + System.nanoTime() + "@Example.org", "password", "long enough password"))
                .post("/api/v1/members")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("queryKey", matchesPattern("[a-z][a-z2-7]{9}"));
    }

    @Test
    void duplicateEmailIsAConflictWhateverTheCase() {
        String email = "dup" + System.nanoTime() + "@example.org";
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "long enough password"))
                .post("/api/v1/members").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("email", email.toUpperCase(), "password", "long enough password"))
                .post("/api/v1/members").then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("email"));
    }

    @Test
    void badEmailAndShortPasswordNameTheField() {
        given().contentType(ContentType.JSON).body(Map.of("email", "not-an-email", "password", "long enough password"))
                .post("/api/v1/members").then().statusCode(422)
                .contentType("application/problem+json").body("field", equalTo("email")).body("rule", equalTo("format"));
        given().contentType(ContentType.JSON).body(Map.of("email", "short" + System.nanoTime() + "@example.org", "password", "short"))
                .post("/api/v1/members").then().statusCode(422).body("field", equalTo("password"));
        given().contentType(ContentType.JSON).body("{not json")
                .post("/api/v1/members").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void keysAreShownOnceWorkAndStopWorkingWhenRevoked() {
        Api.Member m = Api.newMember();
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me")
                .then().statusCode(200).body("email", equalTo(m.email())).body("queryKey", equalTo(m.queryKey()));
        var keys = given().auth().preemptive().basic(m.email(), m.password()).get("/api/v1/keys")
                .then().statusCode(200).body("$", hasSize(1))
                .body("[0].prefix", startsWith("tbl_")).body("[0].key", org.hamcrest.Matchers.nullValue())
                .extract().jsonPath();
        long keyId = keys.getLong("[0].id");
        given().header("Authorization", "Bearer " + m.key()).delete("/api/v1/keys/" + keyId).then().statusCode(204);
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void wrongPasswordAndUnknownKeyAre401() {
        Api.Member m = Api.newMember();
        given().auth().preemptive().basic(m.email(), "wrong password!").contentType(ContentType.JSON)
                .body(Map.of("label", "x")).post("/api/v1/keys").then().statusCode(401);
        given().header("Authorization", "Bearer tbl_nonsense").get("/api/v1/me").then().statusCode(401);
        given().get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void memberCannotRevokeAnotherMembersKey() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        long bKey = given().auth().preemptive().basic(b.email(), b.password()).get("/api/v1/keys")
                .then().extract().jsonPath().getLong("[0].id");
        given().header("Authorization", "Bearer " + a.key()).delete("/api/v1/keys/" + bKey).then().statusCode(404);
        given().header("Authorization", "Bearer " + b.key()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void adminRoutesNeedTheAdminRole() {
        Api.Member m = Api.newMember();
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON)
                .body(Map.of("trust", 1.0, "pinned", true))
                .put("/api/v1/admin/members/" + m.id() + "/trust").then().statusCode(403);
        given().header("Authorization", "Bearer " + Api.adminKey()).contentType(ContentType.JSON)
                .body(Map.of("trust", 1.5, "pinned", true))
                .put("/api/v1/admin/members/" + m.id() + "/trust").then().statusCode(422).body("field", equalTo("trust"));
    }
}
