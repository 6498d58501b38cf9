package net.trustbl.responder;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/** Lookup counts from standalone responders feed the volume signal; only admin keys may send them. */
@QuarkusTest
class TrafficApiTest {

    @Test
    void adminResponderCountsRaiseTheLookupVolumeOthersAreRefused() {
        String ip = Api.freshIp();
        given().header("Authorization", "Bearer " + Api.adminKey()).contentType(ContentType.JSON)
                .body("[{\"ip\":\"" + ip + "\",\"lookups\":4000},{\"ip\":\"" + ip + "\",\"lookups\":1000}]")
                .post("/api/v1/traffic").then().statusCode(202).body("accepted", equalTo(2));
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("evidence.lookups", greaterThanOrEqualTo(4990)); // recent lookups decay a little with time

        Api.Member member = Api.newMember();
        given().header("Authorization", "Bearer " + member.key()).contentType(ContentType.JSON)
                .body("[{\"ip\":\"" + ip + "\",\"lookups\":1}]")
                .post("/api/v1/traffic").then().statusCode(403);
        given().header("Authorization", "Bearer " + Api.adminKey()).contentType(ContentType.JSON)
                .body("[{\"ip\":\"" + ip + "\",\"lookups\":1},{\"ip\":\"not-an-ip\",\"lookups\":1}]")
                .post("/api/v1/traffic").then().statusCode(422).body("field", equalTo("ip")).body("index", equalTo(1));
        given().header("Authorization", "Bearer " + Api.adminKey()).contentType(ContentType.JSON)
                .body("[{\"ip\":\"" + ip + "\",\"lookups\":0}]")
                .post("/api/v1/traffic").then().statusCode(422).body("field", equalTo("lookups"));
        given().header("Authorization", "Bearer " + Api.adminKey()).contentType(ContentType.JSON)
                .body("[{\"ip\":\"198.51.100.0/24\",\"lookups\":3}]")
                .post("/api/v1/traffic").then().statusCode(422).body("rule", equalTo("single-address"));
    }

    @Test
    void oneKeyUploadsAtMostAnHoursHonestCountsSoALeakedKeyCannotLiftBarsWithoutBound() {
        String key = Api.machineKey("traffic", "bounded-" + System.nanoTime());
        String ip = Api.freshIp();
        // a responder counts an address once per client network: 500,000 is its whole pair table
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("[{\"ip\":\"" + ip + "\",\"lookups\":500001}]")
                .post("/api/v1/traffic").then().statusCode(422).body("field", equalTo("lookups"));
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("[{\"ip\":\"" + ip + "\",\"lookups\":300000}]")
                .post("/api/v1/traffic").then().statusCode(202);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("[{\"ip\":\"" + Api.freshIp() + "\",\"lookups\":300000}]")
                .post("/api/v1/traffic").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        // another responder's key has its own hour
        given().header("Authorization", "Bearer " + Api.machineKey("traffic", "other-" + System.nanoTime()))
                .contentType(ContentType.JSON).body("[{\"ip\":\"" + Api.freshIp() + "\",\"lookups\":300000}]")
                .post("/api/v1/traffic").then().statusCode(202);
    }
}
