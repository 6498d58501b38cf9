package net.trustbl.ui;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** The lookup page in plain words: the engine's reason, the block and its causes, a search box, the operator's pages. */
@QuarkusTest
class LookupPageExplainsTest {

    static void trapHits(String key, String ip, int n) {
        List<Map<String, String>> body = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            body.add(Map.of("ip", ip));
        }
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/trap-hits").then().statusCode(202);
    }

    @Test
    void anInnocentNeighbourSeesTheBlockListingAndTheAddressesThatCausedIt() {
        String key = Api.machineKey("trap-feed", "lookup page test");
        String net = "91.201." + (System.nanoTime() % 200 + 20) + ".";
        for (int i = 1; i <= 4; i++) {
            trapHits(key, net + i, 2);
        }
        given().get("/api/v1/lookup/" + net + "200").then().body("listed", org.hamcrest.Matchers.equalTo(true));
        given().get("/lookup/" + net + "200").then().statusCode(200)
                .body(containsString("Listed because of its network"))
                .body(containsString(net + "0/24"))
                .body(containsString("href=\"/lookup/" + net + "1\""))
                .body(containsString("href=\"/lookup/" + net + "4\""))
                .body(containsString("snowshoe"))
                .body(containsString("role=\"search\""));
        // the listed source itself is explained by its own evidence, not by the block
        given().get("/lookup/" + net + "1").then().statusCode(200)
                .body(containsString("spam-trap hits"))
                .body(not(containsString("Listed because of its network")));
    }

    @Test
    void everyResultPageSaysWhyInOneLineAndOffersAnotherSearch() {
        String ip = Api.freshIp();
        given().get("/lookup/" + ip).then().statusCode(200)
                .body(containsString("<p id=\"reason\">not listed</p>"))
                .body(containsString("name=\"ip\""));
    }

    @Test
    void theOperatorsContactPolicyAndPrivacyAreOnEveryPage() {
        given().get("/").then().statusCode(200)
                .body(containsString("href=\"mailto:abuse@trustbl.test\""))
                .body(containsString("href=\"/policy\""))
                .body(containsString("href=\"/privacy\""));
        given().get("/policy").then().statusCode(200).body(containsString("Delisting is always free"))
                .body(containsString("run by the operators of this TrustBL"));
        given().get("/privacy").then().statusCode(200).body(containsString("recipient addresses removed"));
    }
}
