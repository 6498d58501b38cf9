package net.trustbl.trap;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import net.trustbl.journal.EventJournal;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

@QuarkusTest
class TrapHitApiTest {

    @Inject
    EventJournal journal;

    private static void hits(String key, String ip, int n) {
        List<Map<String, String>> body = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            body.add(Map.of("ip", ip));
        }
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/trap-hits").then().statusCode(202).body("accepted", equalTo(n));
    }

    @Test
    void oneTrustedMemberCannotListAnAddressAloneThroughTrapHits() {
        Api.Member gateway = Api.newMember();
        Api.pinTrust(gateway.id(), 0.6);
        String ip = Api.freshIp();
        for (int round = 0; round < 5; round++) {
            hits(gateway.key(), ip, 20);
        }
        given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(false))
                .body("score", lessThanOrEqualTo(0.6f + 1e-6f));

        // the submitter is stored with each hit: a replay of the journal gives the same answer
        journal.rebuildFromJournal();
        given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(false))
                .body("score", lessThanOrEqualTo(0.6f + 1e-6f));

        // a second trusted member's report completes the evidence
        Api.Member reporter = Api.newMember();
        Api.pinTrust(reporter.id(), 0.5);
        Api.report(reporter.key(), ip, "spam").then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(true)).body("returnCode", equalTo("127.0.0.3"));
    }

    @Test
    void aMembersFeedHasADailyCapAndARepeatedAddressCountsOnce() {
        Api.Member gateway = Api.newMember();
        Api.pinTrust(gateway.id(), 0.6);
        hits(gateway.key(), Api.freshIp(), 1000); // one address 1,000 times: one of the 300 (%test cap)
        List<Map<String, String>> body = new ArrayList<>();
        for (int i = 0; i < 299; i++) {
            body.add(Map.of("ip", Api.freshIp()));
        }
        given().header("Authorization", "Bearer " + gateway.key()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/trap-hits").then().statusCode(202).body("accepted", equalTo(299));
        given().header("Authorization", "Bearer " + gateway.key()).contentType(ContentType.JSON)
                .body(List.of(Map.of("ip", Api.freshIp()))).post("/api/v1/trap-hits")
                .then().statusCode(429).body("rule", equalTo("daily-cap"));
        // the operator's own trap network is not capped
        String feed = Api.machineKey("trap-feed", "traps");
        given().header("Authorization", "Bearer " + feed).contentType(ContentType.JSON).body(body)
                .post("/api/v1/trap-hits").then().statusCode(202);
    }

    @Test
    void theOperatorsTrapFeedListsAlone() {
        String ip = Api.freshIp();
        hits(Api.adminKey(), ip, 1);
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(true)).body("returnCode", equalTo("127.0.0.3"));
    }
}
