package net.trustbl.gateway.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * The one way the gateway's tests wait: poll a condition until it holds or a deadline passes,
 * never a fixed sleep standing in for "long enough" (which is flaky on a loaded CI machine and
 * slow on a quiet one).
 */
public final class Eventually {

    private static final long POLL_NANOS = 50_000_000L;

    private Eventually() {
    }

    /** Whether the condition held within {@code timeout} (it is asked once more at the deadline). */
    public static boolean within(Duration timeout, Callable<Boolean> condition) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (condition.call()) {
                return true;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return condition.call();
    }

    /** {@link #within}, and the test fails naming what it waited for when the condition never held. */
    public static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        if (!within(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
    }
}
