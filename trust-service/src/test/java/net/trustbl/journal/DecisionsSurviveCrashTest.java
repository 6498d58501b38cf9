package net.trustbl.journal;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import net.trustbl.trust.DecisionRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Decisions survive crashes (issue 14): the listing history and report outcomes a batch causes
 * are written in the batch's transaction. A failure between storing the events and recording
 * their decisions (the process dying there) leaves neither; a commit whose answer is lost leaves
 * both; and after the engine is rebuilt from the database the two agree.
 */
@QuarkusTest
class DecisionsSurviveCrashTest {

    @Inject
    EventJournal journal;

    @Inject
    DecisionRecorder recorder;

    @Inject
    DataSource dataSource;

    @AfterEach
    void clearFaults() {
        recorder.injectFault(null);
        journal.injectFaults(null, null);
    }

    @Test
    void aFailureBetweenStoringEventsAndRecordingDecisionsKeepsNeitherAndTheRetryKeepsBoth() throws Exception {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();
        Api.report(a.key(), ip, "spam").then().statusCode(202);

        recorder.injectFault(() -> {
            throw new IllegalStateException("process killed after the journal insert, before the decisions (simulated)");
        });
        Api.report(b.key(), ip, "spam").then().statusCode(503);
        assertEquals(0, count("SELECT count(*) FROM listing_change WHERE ip = ?", ip), "no decision without its cause");
        assertEquals(1, count("SELECT count(*) FROM report WHERE ip = ?", ip), "and no cause without its decision");
        // the engine had applied the batch: it is rebuilt from the database before the next one
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true)).body("evidence.spamReports", equalTo(2));
        assertEquals(1, count("SELECT count(*) FROM listing_change WHERE ip = ? AND change = 'created'", ip));
        assertEquals(2, count("SELECT count(*) FROM report WHERE ip = ? AND outcome = 'confirmed'", ip),
                "both reports' outcomes are recorded");
    }

    @Test
    void aCommitWhoseAnswerIsLostKeepsItsDecisionsAndAReplayRecordsNothingTwice() throws Exception {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        journal.injectFaults(() -> {
            throw new IllegalStateException("killed right after COMMIT (simulated)");
        }, () -> {
            throw new IllegalStateException("and the check cannot reach the database (simulated)");
        });
        Api.report(b.key(), ip, "spam").then().statusCode(503);
        // the commit did happen: its listing is recorded with it
        assertEquals(1, count("SELECT count(*) FROM listing_change WHERE ip = ? AND change = 'created'", ip));
        // a restart (rebuild from the database) serves it and records nothing again
        journal.rebuildFromJournal();
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true));
        Api.report(Api.newMember().key(), Api.freshIp(), "spam").then().statusCode(202);
        assertEquals(1, count("SELECT count(*) FROM listing_change WHERE ip = ?", ip));
    }

    private long count(String query, String ip) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, ip);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
