package net.trustbl.dns.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The one way the DNS tests wait: poll a condition until it holds or a deadline passes, no fixed sleeps. */
public final class Eventually {

    private static final long POLL_NANOS = 10_000_000L;

    private Eventually() {
    }

    /** Whether the condition held within {@code timeout} (asked once more at the deadline). */
    public static boolean within(Duration timeout, BooleanSupplier condition) {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return condition.getAsBoolean();
    }
}
