package net.trustbl.journal;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.address.IpBlock;
import net.trustbl.support.Api;
import net.trustbl.trust.TrustEngineHost;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up from a snapshot (issue 14): the latest snapshot plus the journal after it gives the
 * same engine as a replay of the whole journal, and pruning what the snapshots cover changes
 * nothing either. (Ordered: the full replay is compared before anything is pruned.)
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotReplayTest {

    @Inject
    EventJournal journal;

    @Inject
    SnapshotJob job;

    @Inject
    EngineSnapshots snapshots;

    @Inject
    TrustEngineHost engine;

    @Inject
    DataSource dataSource;

    @Test
    @Order(1)
    void snapshotAndTailGiveTheSameEngineAsTheWholeJournal() throws Exception {
        History h = history();
        long snapshotSeq = job.snapshotAndPrune();
        h.more();
        String live = state(h);

        journal.rebuildFromJournal();
        JournalReplayer.RebuildReport fromSnapshot = journal.lastRebuild();
        assertEquals(snapshotSeq, fromSnapshot.snapshotSeq(), "the rebuild started from the snapshot");
        assertTrue(fromSnapshot.eventsReplayed() < count("SELECT count(*) FROM engine_event"), "only the tail was replayed");
        assertEquals(live, state(h));

        // the same without the snapshot: the whole journal
        sql("CREATE TABLE snapshot_test_kept AS SELECT * FROM engine_snapshot; DELETE FROM engine_snapshot");
        journal.rebuildFromJournal();
        assertEquals(0, journal.lastRebuild().snapshotSeq());
        assertEquals(live, state(h));
        sql("INSERT INTO engine_snapshot SELECT * FROM snapshot_test_kept; DROP TABLE snapshot_test_kept");
    }

    @Test
    @Order(2)
    void pruningWhatTheSnapshotsCoverChangesNothing() throws Exception {
        History h = history();
        job.snapshotAndPrune();
        h.more();
        job.snapshotAndPrune();
        long oldestKept = count("SELECT min(seq) FROM engine_snapshot");
        String live = state(h);

        long pruned = snapshots.prune(System.currentTimeMillis() + 86_400_000L); // any age: only coverage limits it
        assertTrue(pruned > 0);
        assertEquals(0, count("SELECT count(*) FROM engine_event WHERE seq <= " + oldestKept));
        assertTrue(count("SELECT count(*) FROM engine_event WHERE seq > " + oldestKept) > 0, "the tail is kept");

        journal.rebuildFromJournal();
        assertEquals(live, state(h));
        given().get("/api/v1/lookup/" + h.first).then().statusCode(200).body("listed", equalTo(true));
    }

    @Test
    @Order(3)
    void anIdleJournalIsNotSnapshottedAgain() throws Exception {
        History h = history();
        assertTrue(snapshots.journalMovedSinceLatest(), "reports after the latest snapshot: a new one is due");
        job.snapshotAndPrune();
        assertFalse(snapshots.journalMovedSinceLatest(), "nothing journaled since: the scheduled job skips it");
        h.more();
        assertTrue(snapshots.journalMovedSinceLatest());
    }

    /** Two trusted members list one address; {@link #more()} lists another and clears the first with positive reports. */
    private static final class History {
        final Api.Member a = Api.newMember();
        final Api.Member b = Api.newMember();
        final String first = Api.freshIp();
        final String second = Api.freshIp();

        History() {
            Api.pinTrust(a.id(), 0.6);
            Api.pinTrust(b.id(), 0.6);
            Api.report(a.key(), first, "spam").then().statusCode(202);
            Api.report(b.key(), first, "spam").then().statusCode(202);
        }

        void more() {
            Api.report(a.key(), second, "spam").then().statusCode(202);
            Api.report(b.key(), second, "spam").then().statusCode(202);
            Api.report(b.key(), Api.freshIp(), "trusted").then().statusCode(202);
        }
    }

    private static History history() {
        return new History();
    }

    /** What the engine says about the history's addresses and members, at one fixed time. */
    private String state(History h) {
        long at = System.currentTimeMillis() / 60_000 * 60_000;
        StringBuilder sb = new StringBuilder();
        for (String ip : List.of(h.first, h.second)) {
            sb.append(engine.explain(IpBlock.parse(ip), at)).append('\n');
        }
        sb.append(engine.member(h.a.id())).append('\n').append(engine.member(h.b.id())).append('\n');
        sb.append(engine.listingCount());
        return sb.toString();
    }

    @Test
    @Order(4)
    void aJournalRowThatCannotBeReadIsSkippedAndDoesNotStopTheRebuild() throws Exception {
        // our writer never stores one; a damaged row must not keep every replica from starting
        long listings = engine.listingCount();
        sql("INSERT INTO engine_event (at, kind, ip, amount) VALUES (now(), 'traffic', NULL, 5)");
        try {
            journal.rebuildFromJournal();
            assertEquals(listings, engine.listingCount());
        } finally {
            sql("DELETE FROM engine_event WHERE kind = 'traffic' AND ip IS NULL");
        }
    }

    private long count(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }
}
