package net.trustbl.journal;

import net.trustbl.testing.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.engine.EngineEvent;
import net.trustbl.support.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fencing (issue 14): a writer that lost its epoch to another instance cannot commit, and steps
 * down; report ids come from the database, so two writers never share one.
 */
@QuarkusTest
class WriterFencingTest {

    @Inject
    DataSource dataSource;

    @Inject
    EventJournal journal;

    /** The application's own writer was fenced out by these tests: wait until it took the role back. */
    @AfterEach
    void applicationWritesAgain() throws Exception {
        Eventually.await("the application to take the writer role back", java.time.Duration.ofSeconds(20), this::writes);
    }

    private boolean writes() throws InterruptedException {
        try {
            journal.submit(List.of(new JournalEntry.Fact(new EngineEvent.Tick(0)))).get(5, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | TimeoutException notYet) {
            return false;
        }
    }

    /**
     * Takes the writer lock from the application for one test, so that its writer cannot claim a
     * new epoch in the middle of it (it checks its role once a second and would come back at
     * once): the session queues for the lock first, then the application is fenced out, steps
     * down and lets the lock go, to the session queued before its own retry (PostgreSQL grants
     * a lock to its waiters in turn).
     */
    private Connection writerLockTakenFromTheApplication() throws Exception {
        Connection session = dataSource.getConnection();
        CompletableFuture<Void> granted = CompletableFuture.runAsync(() -> {
            try (Statement s = session.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + WriterLock.KEY + ")");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually.await("the session to queue for the writer lock", java.time.Duration.ofSeconds(10), () ->
                count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = " + WriterLock.KEY) > 0);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE journal_writer SET epoch = epoch + 1, instance = 'test' WHERE id = 1");
        }
        granted.get(20, TimeUnit.SECONDS);
        return session;
    }

    private static void release(Connection lockSession) throws SQLException {
        try (Statement s = lockSession.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + WriterLock.KEY + ")");
        } finally {
            lockSession.close();
        }
    }

    @Test
    void ofTwoWritersOnlyTheOneHoldingTheCurrentEpochCommits() throws Exception {
        WriterFence first = new WriterFence();
        WriterFence second = new WriterFence();
        Connection lockSession = writerLockTakenFromTheApplication();
        try (Connection a = dataSource.getConnection(); Connection b = dataSource.getConnection()) {
            first.claim(a, null, "first");
            a.setAutoCommit(false);
            first.check(a, 1L); // the first writer's batch is under way and holds the row
            // the second claims meanwhile (it took the lock after the first's session ended): it waits for that batch
            CompletableFuture<Long> claim = CompletableFuture.supplyAsync(() -> claim(second, b));
            assertThrows(TimeoutException.class, () -> claim.get(300, TimeUnit.MILLISECONDS),
                    "a claim waits for the batch it fences out to end");
            a.commit(); // so the batch that started first commits before the claim, and the new writer reads it
            assertEquals(first.epoch() + 1, claim.get(10, TimeUnit.SECONDS));

            // the first writer's next batch: its epoch is no longer current, nothing it writes can commit
            assertThrows(WriterFence.FencedOutException.class, () -> first.check(a, 2L));
            a.rollback();
            b.setAutoCommit(false);
            second.check(b, 3L); // the current writer's batch passes
            b.commit();
        } finally {
            release(lockSession);
        }
    }

    @Test
    void aWriterFencedOutByAnotherStepsDownWithoutCommittingAndComesBackUnderANewEpoch() throws Exception {
        Api.Member m = Api.newMember();
        String ip = Api.freshIp();
        Api.report(m.key(), Api.freshIp(), "spam").then().statusCode(202);
        long before;
        try (Connection c = dataSource.getConnection()) {
            before = epoch(c);
            // another instance claims the writer role, as a standby does once it holds the lock
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE journal_writer SET epoch = epoch + 1, instance = 'another' WHERE id = 1");
            }
        }
        Api.report(m.key(), ip, "spam").then().statusCode(503);
        assertEquals(0, count("SELECT count(*) FROM report WHERE ip = '" + ip + "'"), "nothing of the fenced batch is stored");

        // this instance stepped down; the lock being free, it takes it again, claims a new epoch and writes
        long deadline = System.currentTimeMillis() + 20_000;
        int status;
        do {
            status = Api.report(m.key(), ip, "spam").statusCode();
        } while (status != 202 && System.currentTimeMillis() < deadline);
        assertEquals(202, status);
        assertTrue(journal.isWriter());
        try (Connection c = dataSource.getConnection()) {
            assertTrue(epoch(c) >= before + 2, "a new epoch was claimed");
        }
        assertEquals(1, count("SELECT count(*) FROM report WHERE ip = '" + ip + "'"));
        given().get("/api/v1/lookup/" + ip).then().statusCode(200);
    }

    @Test
    void reportIdsComeFromTheDatabaseSequence() throws Exception {
        Api.Member m = Api.newMember();
        long next;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT nextval('report_id_seq')")) {
            rs.next();
            next = rs.getLong(1); // taken here, as another writer would: the journal must not hand it out
        }
        long id = Api.report(m.key(), Api.freshIp(), "spam").then().statusCode(202).extract().jsonPath().getLong("[0].id");
        assertTrue(id > next, id + " after " + next);
        assertFalse(count("SELECT count(*) FROM report WHERE id = " + next) > 0);
    }

    private static Long claim(WriterFence fence, Connection c) {
        try {
            return fence.claim(c, null, "second");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long epoch(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT epoch FROM journal_writer WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long count(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
