package net.trustbl.gateway.smtp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.trustbl.gateway.console.GatewayStats;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What bounds a session: lifetime, data rate, and the shared budget of message bytes in memory. */
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

    @Test
    void messagesBeyondTheSharedBudgetGet452AndGiveTheirBytesBack() {
        InFlightBudget budget = new InFlightBudget(400 * 1024);
        GatewayStats stats = new GatewayStats(new SimpleMeterRegistry());
        String text = "x".repeat(998);
        MessageReader first = new MessageReader(10_000_000, false, stats, budget);
        for (int i = 0; i < 150; i++) {
            first.line(line(text));
        }
        assertNull(first.error());
        MessageReader second = new MessageReader(10_000_000, false, stats, budget);
        for (int i = 0; i < 100 && second.error() == null; i++) {
            second.line(line(text));
        }
        assertEquals(452, second.error().code(), "the budget is spent");
        assertEquals("4.3.1 Insufficient system storage, try again later", second.error().lines().get(0));
        assertTrue(second.line(line(".")), "the refused message is still read to its end");
        assertTrue(budget.used() <= 400 * 1024 && budget.used() >= 2 * 150 * 1000, "twice the bytes read: " + budget.used());
        first.releaseBudget();
        assertEquals(0, budget.used(), "every byte comes back when the transactions end");
    }

    @Test
    void deliveryLogTakesTheDownstreamsQueueId() {
        assertEquals("4Yk7cX2", DeliveryLog.queueId(Reply.of(250, "2.0.0", "Ok: queued as 4Yk7cX2")));
        assertEquals("\"250 2.0.0 Ok\"", DeliveryLog.queueId(new Reply(250, List.of("2.0.0 Ok"))));
    }
}
