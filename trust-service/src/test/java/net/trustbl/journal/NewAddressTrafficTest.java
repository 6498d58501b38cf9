package net.trustbl.journal;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * In the service: a new address's later lookup counts reach the engine at the next new-address
 * step ({@code trustbl.journal.new-address-traffic-interval}), not at the traffic interval's end
 * (an hour), so that its first reports are judged against its lookups within minutes. (Tests
 * set the step to 24 h and end it here.)
 */
@QuarkusTest
class NewAddressTrafficTest {

    @Inject
    RolledUpTraffic traffic;

    @Test
    void aNewAddressesLaterCountsComeAtTheNextStep() throws InterruptedException {
        String ip = Api.freshIp();
        post(ip, 100); // first sight: at once
        post(ip, 50); // later in the interval: held
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("evidence.lookups", allOf(greaterThanOrEqualTo(99), lessThan(149)));
        traffic.endNewAddressStep();
        // the journal applies the step's counts; the lookup reads the engine a moment later
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lookups(ip) < 148 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        given().get("/api/v1/lookup/" + ip).then().body("evidence.lookups", greaterThanOrEqualTo(148));
    }

    private static double lookups(String ip) {
        Number n = given().get("/api/v1/lookup/" + ip).then().statusCode(200).extract().path("evidence.lookups");
        return n.doubleValue();
    }

    private static void post(String ip, int lookups) {
        given().header("Authorization", "Bearer " + Api.adminKey()).contentType(ContentType.JSON)
                .body("[{\"ip\":\"" + ip + "\",\"lookups\":" + lookups + "}]")
                .post("/api/v1/traffic").then().statusCode(202);
    }
}
