package net.trustbl.common;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** The dashboard's "p99 of report posts" needs request time buckets in the Prometheus output. */
@QuarkusTest
class HttpHistogramsTest {

    @Test
    void requestTimesHaveBucketsAroundTheGoal() {
        given().get("/api/v1/lookup/127.0.0.2").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_bucket{"))
                .body(containsString("le=\"0.05\""));
    }
}
