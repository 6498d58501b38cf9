package net.trustbl.lookup;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The public lookup withholds the evidence of addresses that are not listed (issue 11: a score just
 * under the bar told farmed accounts where a report pays), shows it all once listed, and an admin's
 * key sees it always.
 */
@QuarkusTest
class EvidenceDisclosureTest {

    @Test
    void anUnlistedAddressLooksTheSameToThePublicWhetherOrNotItWasReported() {
        Api.Member a = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        String reported = Api.freshIp();
        String quiet = Api.freshIp();
        Api.report(a.key(), reported, "spam").then().statusCode(202);

        JsonPath pub = given().get("/api/v1/lookup/" + reported).then().statusCode(200)
                .body("listed", equalTo(false))
                .body("evidenceWithheld", equalTo(true))
                .body("score", nullValue())
                .body("bar", nullValue())
                .body("evidence.spamReports", nullValue())
                .body("evidence.trapHits", nullValue())
                .body("evidence.positiveReports", nullValue())
                .body("evidence.firstEvidence", nullValue())
                .body("evidence.lookups", notNullValue())
                .body("threshold", equalTo(1.0f))
                .body("samples", hasSize(0))
                .body("reason", equalTo("not listed"))
                .extract().jsonPath();
        JsonPath none = given().get("/api/v1/lookup/" + quiet).then().statusCode(200).extract().jsonPath();
        for (String field : new String[] {"listed", "score", "bar", "reason", "evidence.spamReports", "evidence.lastEvidence", "evidenceWithheld"}) {
            assertEquals((Object) none.get(field), pub.get(field), field + " tells a reported address from a quiet one");
        }
        // a member's key sees what anyone sees
        given().header("Authorization", "Bearer " + a.key()).get("/api/v1/lookup/" + reported).then().statusCode(200)
                .body("evidenceWithheld", equalTo(true)).body("score", nullValue());
        // an admin's key sees the evidence; a key that is not one is refused, not ignored
        given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/lookup/" + reported).then().statusCode(200)
                .body("evidenceWithheld", equalTo(false))
                .body("score", equalTo(0.6f))
                .body("evidence.spamReports", equalTo(1))
                .body("reason", containsString("score 0.60"));
        given().header("Authorization", "Bearer not-a-key").get("/api/v1/lookup/" + reported).then().statusCode(401);

        // the page says so, and shows no score or count
        given().get("/lookup/" + reported).then().statusCode(200)
                .body(containsString("id=\"evidence-withheld\""))
                .body(not(containsString("Evidence score")))
                .body(not(containsString("0.60")))
                .body(containsString("<p id=\"reason\">not listed</p>"));
    }

    @Test
    void aListedAddressShowsAllItsEvidence() {
        String ip = Api.freshIp();
        Api.listByTwoReporters(ip);
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(true))
                .body("evidenceWithheld", equalTo(false))
                .body("score", greaterThanOrEqualTo(1.0f))
                .body("bar", notNullValue())
                .body("evidence.spamReports", equalTo(2))
                .body("reason", containsString("listed: trust-weighted evidence reached"));
        given().get("/lookup/" + ip).then().statusCode(200)
                .body(containsString("Evidence score"))
                .body(not(containsString("id=\"evidence-withheld\"")));
    }
}
