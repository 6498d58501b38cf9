package net.trustbl.journal;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A commit whose answer is lost must neither wedge the journal nor hide stored events from the engine. */
@QuarkusTest
class JournalCommitFaultTest {

    @Inject
    EventJournal journal;

    @AfterEach
    void clearFaults() {
        journal.injectFaults(null, null);
    }

    private static Runnable lostAnswer() {
        return () -> {
            throw new IllegalStateException("connection reset after COMMIT (simulated)");
        };
    }

    @Test
    void aCommitThatFailedAfterTheServerCommittedIsAppliedAndAcknowledged() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();

        journal.injectFaults(lostAnswer(), null);
        long first = Api.report(a.key(), ip, "spam").then().statusCode(202).extract().jsonPath().getLong("[0].id");
        // the next batch must not collide with the ids of the batch that did commit
        long second = Api.report(b.key(), ip, "spam").then().statusCode(202).extract().jsonPath().getLong("[0].id");
        assertEquals(first + 1, second);
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(true)).body("evidence.spamReports", equalTo(2));
    }

    @Test
    void whenTheOutcomeCannotBeCheckedTheNextBatchResyncsIdsAndReplaysTheStoredEvents() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();

        journal.injectFaults(lostAnswer(), () -> {
            throw new IllegalStateException("database unreachable (simulated)");
        });
        Api.report(a.key(), ip, "spam").then().statusCode(503);
        // a's report did commit: the engine learns it before b's report is applied
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(true)).body("evidence.spamReports", equalTo(2));
        given().header("Authorization", "Bearer " + a.key()).get("/api/v1/reports").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].ip", equalTo(ip));
        // and ids keep flowing
        Api.report(a.key(), Api.freshIp(), "spam").then().statusCode(202);
    }
}
