package net.trustbl.journal;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standby spends its pause between polls queued for the writer lock (issue 14: take-over within
 * 2 s): the lock is granted the moment the holder's session lets it go, not at the next poll, and
 * a wait that runs out is a plain "not yet". Two locks of the test's own, on another key, stand for
 * the dying writer and the standby while the application writes.
 */
@QuarkusTest
class WriterLockQueueTest {

    private static final long TEST_KEY = 7370599;

    @Inject
    DataSource dataSource;

    private WriterLock lock() {
        WriterLock l = new WriterLock();
        l.dataSource = dataSource;
        l.key = TEST_KEY;
        return l;
    }

    @Test
    void aQueuedStandbyGetsTheLockWhenTheWriterLetsGoNotAtItsTimeout() throws Exception {
        WriterLock writer = lock();
        WriterLock standby = lock();
        try {
            assertTrue(writer.tryAcquire());
            assertFalse(standby.awaitAcquire(Duration.ofMillis(100)), "held elsewhere: the wait runs out");
            CompletableFuture<Boolean> queued = CompletableFuture.supplyAsync(() -> {
                try {
                    return standby.awaitAcquire(Duration.ofMinutes(5));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.release(); // the writer's session ends
            // a 5-minute wait that only a grant can end this soon
            assertTrue(queued.get(60, TimeUnit.SECONDS), "the queued standby holds the lock");
            assertFalse(writer.tryAcquire(), "one holder at a time");
        } finally {
            writer.release();
            standby.release();
        }
    }

    @Test
    void aWaitThatRanOutLeavesNoLockTimeoutOnThePooledConnection() throws Exception {
        WriterLock holder = lock();
        try {
            assertTrue(holder.tryAcquire());
            for (int i = 0; i < 3; i++) {
                assertFalse(lock().awaitAcquire(Duration.ofMillis(20)));
            }
            try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SHOW lock_timeout")) {
                rs.next();
                assertEquals("0", rs.getString(1), "a lock_timeout left on a pooled connection");
            }
        } finally {
            holder.release();
        }
    }
}
