package net.trustbl.gateway.smtp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.trustbl.gateway.budget.InFlightBudget;
import net.trustbl.gateway.protocol.LineSplitter;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.stats.GatewayStats;
import net.trustbl.gateway.transaction.MessageContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What bounds a session: lifetime, data rate, the shared budget of message bytes in memory, and the spool. */
class BoundedSessionTest {

    private static final long SECOND = 1_000_000_000L;

    private static LineSplitter.Line line(String s) {
        return new LineSplitter.Line(s.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    @Test
    void aSessionEndsAfterItsLifetime() {
        SessionDeadlines d = new SessionDeadlines(0, 3600 * SECOND, 0);
        assertFalse(d.expired(3600 * SECOND));
        assertTrue(d.expired(3601 * SECOND));
        assertFalse(new SessionDeadlines(0, 0, 0).expired(Long.MAX_VALUE / 2), "0 = no limit");
    }

    @Test
    void aTricklingMessageIsCutAfterTheGracePeriodAFastOneNever() {
        SessionDeadlines d = new SessionDeadlines(0, 0, 2048);
        d.dataStarted(10 * SECOND);
        assertFalse(d.tooSlow(39 * SECOND, 0), "the first 30 s are free");
        assertTrue(d.tooSlow(50 * SECOND, 2048 * 9), "10 s judged at 2048 B/s need 20480 bytes");
        assertFalse(d.tooSlow(50 * SECOND, 2048 * 11));
        d.dataEnded();
        assertFalse(d.tooSlow(500 * SECOND, 0), "only while a message is read");
    }

    @TempDir
    Path spoolDir;

    private Spool spool(long threshold, long diskBytes) {
        Spool spool = new Spool(spoolDir.resolve("message-spool"), threshold, diskBytes);
        spool.prepare();
        return spool;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }

    @Test
    void messagesBeyondTheSharedBudgetGet452AndGiveTheirBytesBack() {
        InFlightBudget budget = new InFlightBudget(400 * 1024);
        Spool spool = spool(10_000_000, 10_000_000);
        GatewayStats stats = new GatewayStats(new SimpleMeterRegistry());
        String text = "x".repeat(998);
        MessageReader first = new MessageReader(10_000_000, false, stats, new MessageBuffer(spool, budget));
        for (int i = 0; i < 150; i++) {
            first.line(line(text));
        }
        assertNull(first.error());
        MessageReader second = new MessageReader(10_000_000, false, stats, new MessageBuffer(spool, budget));
        for (int i = 0; i < 100 && second.error() == null; i++) {
            second.line(line(text));
        }
        assertEquals(452, second.error().code(), "the budget is spent");
        assertEquals("4.3.1 Insufficient system storage, try again later", second.error().lines().get(0));
        assertTrue(second.line(line(".")), "the refused message is still read to its end");
        assertTrue(budget.used() <= 400 * 1024 && budget.used() >= 2 * 150 * 1000, "twice the bytes read: " + budget.used());
        first.release();
        assertEquals(0, budget.used(), "every byte comes back when the transactions end");
    }

    @Test
    void oneClientHoldsAtMostAnEighthOfTheBudgetAndOthersStillGetIn() {
        InFlightBudget budget = new InFlightBudget(8 * 256 * 1024); // a client's share: 256 KiB
        Spool spool = spool(10_000_000, 10_000_000);
        GatewayStats stats = new GatewayStats(new SimpleMeterRegistry());
        String text = "x".repeat(998);
        // one address, several slow sessions: together they may not take more than the share
        List<MessageReader> slow = new java.util.ArrayList<>();
        MessageReader refused = null;
        for (int s = 0; s < 8 && refused == null; s++) {
            MessageReader r = new MessageReader(10_000_000, false, stats, new MessageBuffer(spool, budget, "192.0.2.9"));
            slow.add(r);
            for (int i = 0; i < 60 && r.error() == null; i++) {
                r.line(line(text));
            }
            if (r.error() != null) {
                refused = r;
            }
        }
        assertNotNull(refused, "the share ran out");
        assertEquals(452, refused.error().code());
        assertTrue(budget.usedBy("192.0.2.9") <= 256 * 1024, "within the share: " + budget.usedBy("192.0.2.9"));
        // another sender is not held back by it
        MessageReader other = new MessageReader(10_000_000, false, stats, new MessageBuffer(spool, budget, "198.51.100.1"));
        for (int i = 0; i < 60; i++) {
            other.line(line(text));
        }
        assertNull(other.error(), "another client still gets in");
        slow.forEach(MessageReader::release);
        other.release();
        assertEquals(0, budget.used());
        assertEquals(0, budget.usedBy("192.0.2.9"));
    }

    @Test
    void aMessageAboveTheThresholdGoesToAPrivateFileAndOnlyItsChunkCountsInMemory() throws IOException {
        InFlightBudget memory = new InFlightBudget(1024 * 1024);
        Spool spool = spool(64 * 1024, 10_000_000);
        GatewayStats stats = new GatewayStats(new SimpleMeterRegistry());
        MessageReader reader = new MessageReader(10_000_000, false, stats, new MessageBuffer(spool, memory));
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            String text = String.format("%05d ", i) + "y".repeat(300);
            reader.line(line(text));
            sent.append(text).append("\r\n");
        }
        assertNull(reader.error());
        assertTrue(reader.spooled());
        assertEquals(1, files(spool.dir()).size());
        assertTrue(memory.used() <= 2 * 64 * 1024, "in memory only the staging chunk: " + memory.used());
        assertTrue(spool.disk().used() >= sent.length(), "the file counts on disk: " + spool.disk().used());
        MessageContent content = reader.message();
        assertTrue(content.spooled());
        assertEquals(sent.length(), content.size());
        try (InputStream in = content.openStream()) {
            assertEquals(sent.toString(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        reader.release();
        assertEquals(List.of(), files(spool.dir()), "the file is deleted when the transaction ends");
        assertEquals(0, memory.used());
        assertEquals(0, spool.disk().used());
    }

    @Test
    void aFullSpoolAnswers452AndDeletesTheFile() throws IOException {
        Spool spool = spool(64 * 1024, 256 * 1024);
        GatewayStats stats = new GatewayStats(new SimpleMeterRegistry());
        InFlightBudget memory = new InFlightBudget(10_000_000);
        MessageReader reader = new MessageReader(10_000_000, false, stats, new MessageBuffer(spool, memory));
        String text = "w".repeat(998);
        for (int i = 0; i < 400 && reader.error() == null; i++) {
            reader.line(line(text));
        }
        assertEquals("452 4.3.1 Insufficient system storage, try again later", reader.error().firstLine());
        assertEquals(List.of(), files(spool.dir()), "the dropped message's file is gone at once");
        assertEquals(0, spool.disk().used());
        assertEquals(0, memory.used());
        assertTrue(reader.line(line(".")), "the rest is read to the end of data");
    }

    @Test
    void filesACrashLeftAreDeletedAtStartOthersAreKept() throws IOException {
        Path dir = spoolDir.resolve("message-spool");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(Spool.PREFIX + "123" + Spool.SUFFIX), "left by a crash");
        Files.writeString(dir.resolve("operator-notes.txt"), "not ours");
        spool(1024, 1024);
        assertEquals(List.of(dir.resolve("operator-notes.txt")), files(dir));
    }

    @Test
    void deliveryLogTakesTheDownstreamsQueueId() {
        assertEquals("4Yk7cX2", DeliveryLog.queueId(Reply.of(250, "2.0.0", "Ok: queued as 4Yk7cX2")));
        assertEquals("\"250 2.0.0 Ok\"", DeliveryLog.queueId(new Reply(250, List.of("2.0.0 Ok"))));
        assertEquals("AB12", DeliveryLog.queueId(Reply.of(250, "2.0.0", "OK QUEUED AS AB12")), "any case");
        assertEquals("[<a@example.net>, <b@example.net>]", DeliveryLog.recipients(List.of("a@example.net", "b@example.net")));
        assertEquals("[]", DeliveryLog.recipients(List.of()));
    }
}
