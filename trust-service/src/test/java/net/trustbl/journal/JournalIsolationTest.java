package net.trustbl.journal;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.common.ProblemException;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;
import net.trustbl.support.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch whose commit PostgreSQL refuses for one entry's data commits everything else: the bad
 * submission alone is refused (422), the others are acknowledged, and the engine (live and
 * replayed) saw exactly the committed events. The bad entries go straight to the journal, past
 * the input checks, as values PostgreSQL refuses: a NUL in a note and a note too long for its column.
 */
@QuarkusTest
class JournalIsolationTest {

    @Inject
    EventJournal journal;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @AfterEach
    void clearFaults() {
        journal.injectFaults(null, null);
    }

    private static JournalEntry report(long member, String ip, String note) {
        return new JournalEntry.NewReport(member, IpBlock.parse(ip), Verdict.SPAM, null, note, "api", 1.0);
    }

    /**
     * Holds the writer thread right after it committed {@code warmUp}, so that everything
     * submitted until {@link CountDownLatch#countDown()} on the returned latch queues into one batch.
     */
    private CountDownLatch holdWriterAfter(JournalEntry warmUp) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        journal.injectFaults(() -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, null);
        journal.submit(List.of(warmUp));
        assertTrue(held.await(30, TimeUnit.SECONDS), "the writer committed the warm-up entry");
        return release;
    }

    @Test
    void oneRefusedEntryInABatchFailsAloneAndTheRestCommitsInOrder() throws Exception {
        Api.Member a1 = Api.newMember();
        Api.Member a2 = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a1.id(), 0.6);
        Api.pinTrust(a2.id(), 0.6);
        String ip = Api.freshIp();
        double isolationsBefore = metrics.counter("trustbl.journal.isolations").count();

        CountDownLatch release = holdWriterAfter(report(a1.id(), Api.freshIp(), "warm-up"));
        CompletableFuture<List<Receipt>> good1 = journal.submit(List.of(report(a1.id(), ip, "first")));
        CompletableFuture<List<Receipt>> nul = journal.submit(List.of(report(b.id(), ip, "bad \u0000 note")));
        CompletableFuture<List<Receipt>> tooLong = journal.submit(List.of(report(b.id(), Api.freshIp(), "x".repeat(1001))));
        CompletableFuture<List<Receipt>> good2 = journal.submit(List.of(report(a2.id(), ip, "second")));
        release.countDown();

        long first = good1.get(30, TimeUnit.SECONDS).get(0).id();
        long second = good2.get(30, TimeUnit.SECONDS).get(0).id();
        // ids come from the database sequence: the attempts rolled back while isolating the bad
        // entries leave gaps, but the acknowledged reports keep their submission order
        assertTrue(second > first, first + " then " + second);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> nul.get(30, TimeUnit.SECONDS));
        JournalRefusedException e = assertInstanceOf(JournalRefusedException.class, refused.getCause());
        assertEquals(422, e.status());
        assertEquals("note", e.toProblem().field());
        assertEquals("note: control character U+0000 not allowed", e.getMessage());
        ProblemException tooLongRefusal = assertInstanceOf(JournalRefusedException.class,
                assertThrows(ExecutionException.class, () -> tooLong.get(30, TimeUnit.SECONDS)).getCause());
        assertEquals(422, tooLongRefusal.status());
        assertNull(tooLongRefusal.toProblem().field());
        assertTrue(metrics.counter("trustbl.journal.isolations").count() > isolationsBefore, "the batch was split");

        assertEquals(0, reportsOf(b.id()), "nothing of the refused entries was stored");
        // the engine saw both committed reports, and a replay of the journal gives the same
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(true)).body("evidence.spamReports", equalTo(2));
        journal.rebuildFromJournal();
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(true)).body("evidence.spamReports", equalTo(2));
        // and the journal goes on
        Api.report(a1.key(), Api.freshIp(), "spam").then().statusCode(202);
    }

    @Test
    void anEntryRefusedOnItsOwnFailsWith422AndTheJournalGoesOn() throws Exception {
        Api.Member m = Api.newMember();
        // a category longer than its column (the API checks its format; this goes straight in)
        JournalEntry tooLong = new JournalEntry.NewReport(m.id(), IpBlock.parse(Api.freshIp()), Verdict.SPAM,
                "c".repeat(41), null, "api", 1.0);
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> journal.submit(List.of(tooLong)).get(30, TimeUnit.SECONDS));
        assertInstanceOf(JournalRefusedException.class, refused.getCause());
        assertThrows(JournalRefusedException.class, () -> journal.submitAndWait(List.of(tooLong)));
        Api.report(m.key(), Api.freshIp(), "spam").then().statusCode(202);
    }

    private long reportsOf(long memberId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM report WHERE member_id = ?")) {
            ps.setLong(1, memberId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
