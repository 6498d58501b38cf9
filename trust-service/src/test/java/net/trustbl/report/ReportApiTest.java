package net.trustbl.report;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class ReportApiTest {

    @Test
    void aReportIsAcceptedWithItsIdAndListedWithItsOutcome() {
        Api.Member m = Api.newMember();
        String ip = Api.freshIp();
        long id = Api.report(m.key(), ip, "spam").then().statusCode(202)
                .body("$", hasSize(1)).body("[0].id", notNullValue()).body("[0].duplicateOf", nullValue())
                .extract().jsonPath().getLong("[0].id");
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/reports")
                .then().statusCode(200).body("$", hasSize(1))
                .body("[0].id", equalTo((int) id)).body("[0].ip", equalTo(ip)).body("[0].outcome", equalTo("pending"));
    }

    @Test
    void aBatchGetsOneIdPerReportAndRepeatsCountOnce() {
        Api.Member m = Api.newMember();
        String ip = Api.freshIp();
        List<Map<String, String>> batch = List.of(
                Map.of("ip", ip, "verdict", "spam", "category", "phishing", "note", "fake bank"),
                Map.of("ip", "2a01:4f8:1:2::/64", "verdict", "spam"),
                Map.of("ip", ip, "verdict", "spam"));
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body(batch)
                .post("/api/v1/reports").then().statusCode(202).body("$", hasSize(3))
                .body("[2].duplicateOf", notNullValue());
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/reports?outcome=duplicate")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].ip", equalTo(ip));
    }

    @Test
    void badAddressesAreRefusedWithTheFieldAndRule() {
        Api.Member m = Api.newMember();
        Api.report(m.key(), "300.1.2.3", "spam").then().statusCode(422)
                .contentType("application/problem+json").body("field", equalTo("ip")).body("rule", equalTo("format"));
        Api.report(m.key(), "10.1.2.3", "spam").then().statusCode(422).body("rule", equalTo("public-address"));
        Api.report(m.key(), "192.168.7.7", "spam").then().statusCode(422).body("detail", containsString("private"));
        Api.report(m.key(), "127.0.0.9", "spam").then().statusCode(422).body("detail", containsString("loopback"));
        Api.report(m.key(), "169.254.1.1", "spam").then().statusCode(422);
        Api.report(m.key(), "224.0.0.5", "spam").then().statusCode(422);
        Api.report(m.key(), "192.0.2.10", "spam").then().statusCode(422).body("detail", containsString("documentation"));
        Api.report(m.key(), "2001:db8::1", "spam").then().statusCode(422);
        Api.report(m.key(), "fe80::1", "spam").then().statusCode(422);
        Api.report(m.key(), "127.0.0.1", "spam").then().statusCode(422).body("detail", containsString("never"));
        Api.report(m.key(), "45.1.0.0/16", "spam").then().statusCode(422).body("rule", equalTo("max-prefix"));
        Api.report(m.key(), "2a01:4f8::/48", "spam").then().statusCode(422).body("rule", equalTo("max-prefix"));
        Api.report(m.key(), Api.freshIp(), "ham").then().statusCode(422).body("field", equalTo("verdict"));
    }

    @Test
    void aReportWithoutAVerdictIsRefusedNotTakenForSpam() {
        Api.Member m = Api.newMember();
        String ip = Api.freshIp();
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body(Map.of("ip", ip))
                .post("/api/v1/reports").then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("verdict")).body("rule", equalTo("required"));
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON)
                .body(List.of(Map.of("ip", ip, "verdict", "spam"), Map.of("ip", ip)))
                .post("/api/v1/reports").then().statusCode(422)
                .body("field", equalTo("verdict")).body("rule", equalTo("required")).body("index", equalTo(1));
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/reports").then().body("$", hasSize(0));
    }

    @Test
    void aBodyOverTheHttpLimitGetsAProblemDocument() {
        Api.Member m = Api.newMember();
        byte[] big = new byte[2 * 1024 * 1024 + 10]; // quarkus.http.limits.max-body-size=2M
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        big[big.length - 1] = ']';
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body(big)
                .post("/api/v1/reports").then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413)).body("rule", equalTo("max-size"));
    }

    @Test
    void batchErrorsNameTheIndexAndNothingIsKept() {
        Api.Member m = Api.newMember();
        List<Map<String, String>> batch = List.of(Map.of("ip", Api.freshIp(), "verdict", "spam"),
                Map.of("ip", "nope", "verdict", "spam"));
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body(batch)
                .post("/api/v1/reports").then().statusCode(422).body("index", equalTo(1));
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/reports").then().body("$", hasSize(0));
    }

    @Test
    void tooLargeBatchesMissingKeysAndBrokenJsonAreClientErrors() {
        Api.Member m = Api.newMember();
        List<Map<String, String>> big = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            big.add(Map.of("ip", "45.9.9.9", "verdict", "spam"));
        }
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body(big)
                .post("/api/v1/reports").then().statusCode(413).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("ip", "45.9.9.9"))
                .post("/api/v1/reports").then().statusCode(401);
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body("[{\"ip\":")
                .post("/api/v1/reports").then().statusCode(400);
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body("[42]")
                .post("/api/v1/reports").then().statusCode(422);
    }
}
