package net.trustbl.report;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: one member's note with a NUL in it made PostgreSQL refuse a whole journal batch, and
 * another member's reports in that batch got 503. Control characters are refused at the door,
 * naming the field, and nobody else's reports are touched.
 */
@QuarkusTest
class ControlCharacterReportTest {

    private static final int A_REPORTS = 300;
    private static final int B_REPORTS = 120;

    private static Response post(String key, String json) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(json).post("/api/v1/reports");
    }

    /** Half of B's notes carry a raw NUL inside the JSON string, half the escaped form backslash-u-0000. */
    private static String badNote(int i) {
        return i % 2 == 0 ? "bad \u0000 note" : "bad \\u0000 note";
    }

    @Test
    void aMembersNulNotesAreRefusedWithTheFieldWhileAnotherMembersConcurrentReportsAreAllAccepted() throws Exception {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Response>> ofA = new ArrayList<>();
        List<Future<Response>> ofB = new ArrayList<>();
        try {
            for (int i = 0; i < A_REPORTS; i++) {
                String json = "{\"ip\":\"" + Api.freshIp() + "\",\"verdict\":\"spam\",\"note\":\"ordinary note " + i + "\"}";
                ofA.add(pool.submit(() -> post(a.key(), json)));
                if (i < B_REPORTS) {
                    String bad = "{\"ip\":\"" + Api.freshIp() + "\",\"verdict\":\"spam\",\"note\":\"" + badNote(i) + "\"}";
                    ofB.add(pool.submit(() -> post(b.key(), bad)));
                }
            }
            int refusedOfA = 0;
            for (Future<Response> f : ofA) {
                if (f.get(60, TimeUnit.SECONDS).statusCode() != 202) {
                    refusedOfA++;
                }
            }
            assertEquals(0, refusedOfA, "reports of A refused");
            for (Future<Response> f : ofB) {
                Response r = f.get(60, TimeUnit.SECONDS);
                assertEquals(422, r.statusCode(), r.asString());
                assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
                assertEquals("note", r.jsonPath().getString("field"));
                assertEquals("control-character", r.jsonPath().getString("rule"));
                assertEquals("note: control character U+0000 not allowed", r.jsonPath().getString("detail"));
            }
        } finally {
            pool.shutdownNow();
        }
        given().header("Authorization", "Bearer " + a.key()).get("/api/v1/reports?limit=1000")
                .then().statusCode(200).body("$", hasSize(A_REPORTS));
        given().header("Authorization", "Bearer " + b.key()).get("/api/v1/reports")
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aNoteMayHoldLineBreaksAndTabsButSingleLineFieldsHoldNoControlCharacter() {
        Api.Member m = Api.newMember();
        post(m.key(), "{\"ip\":\"" + Api.freshIp() + "\",\"verdict\":\"spam\",\"note\":\"line one\\n\\tline two\\r\\n\"}")
                .then().statusCode(202);
        post(m.key(), "{\"ip\":\"" + Api.freshIp() + "\",\"verdict\":\"spam\",\"note\":\"bell \\u0007\"}")
                .then().statusCode(422).body("field", equalTo("note")).body("detail", equalTo("note: control character U+0007 not allowed"));
        post(m.key(), "{\"ip\":\"" + Api.freshIp() + "\",\"verdict\":\"spam\",\"note\":\"delete \u007f\"}")
                .then().statusCode(422).body("field", equalTo("note"));
        post(m.key(), "{\"ip\":\"" + Api.freshIp() + "\",\"verdict\":\"spam\",\"category\":\"phish\\ting\"}")
                .then().statusCode(422).body("field", equalTo("category")).body("rule", equalTo("control-character"));
        post(m.key(), "{\"ip\":\"" + Api.freshIp() + "\\n\",\"verdict\":\"spam\"}")
                .then().statusCode(422).body("field", equalTo("ip"));
        // a batch names the item; nothing of the batch is kept
        String ok = "{\"ip\":\"" + Api.freshIp() + "\",\"verdict\":\"spam\"}";
        String bad = "{\"ip\":\"" + Api.freshIp() + "\",\"verdict\":\"spam\",\"note\":\"x\\u0000\"}";
        post(m.key(), "[" + ok + "," + bad + "]").then().statusCode(422)
                .body("field", equalTo("note")).body("index", equalTo(1));
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/reports")
                .then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void everyJsonBodyIsCheckedNotOnlyReports() {
        Api.Member m = Api.newMember();
        given().auth().preemptive().basic(m.email(), m.password()).contentType(ContentType.JSON)
                .body("{\"label\":\"my\\u0000key\"}").post("/api/v1/keys")
                .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("label"));
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON)
                .body("{\"threshold\":null,\"allow\":[\"198.51.100.7\\u0000\"],\"deny\":[]}").put("/api/v1/rules")
                .then().statusCode(422).body("field", equalTo("allow[0]"));
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON)
                .body(Map.of("hosts", List.of("mx.example.org\u0001"))).put("/api/v1/mailhosts")
                .then().statusCode(422).body("field", equalTo("hosts[0]"));
        given().contentType(ContentType.JSON).body("{\"email\":\"x\u0000@example.org\",\"password\":\"long enough pw\"}")
                .post("/api/v1/members").then().statusCode(422).body("field", equalTo("email"));
    }
}
