package net.trustbl.health;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Readiness is the journal (engine rebuilt), not the database; the database has its own group. */
@QuarkusTest
class HealthTest {

    @Test
    void readinessIsTheJournalCheckAndNotTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("journal"))
                .body("checks.find { it.name == 'journal' }.status", equalTo("UP"))
                .body("checks.name", not(hasItem("Database connections health check")))
                .body("checks.name", not(hasItem("database")));
    }

    @Test
    void livenessAndTheDatabaseGroup() {
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("journal-writer"));
        given().get("/q/health/group/database").then().statusCode(200)
                .body("checks.find { it.name == 'database' }.status", equalTo("UP"));
    }
}
