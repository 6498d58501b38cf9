package net.trustbl.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * The one way TrustBL's tests wait (the gateway's, the service's and the DNS responder's): poll a condition until it
 * holds or a deadline passes, never a fixed sleep standing in for "long enough" (which is flaky on
 * a loaded CI machine and slow on a quiet one).
 */
public final class Eventually {

    private static final long POLL_NANOS = 20_000_000L;

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

    /**
     * Whether the condition held at every poll for the whole of {@code period}: for what must not
     * happen (a second mail, a retry too early), where no event says "it is over".
     */
    public static boolean holdsFor(Duration period, Callable<Boolean> condition) throws Exception {
        long until = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < until) {
            if (!condition.call()) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return condition.call();
    }

    /**
     * {@link #within} for a check written with assertions: it holds once it returns without
     * throwing; the last failure is the one reported at the deadline.
     */
    public static void awaitAsserted(String what, Duration timeout, Check check) throws Exception {
        AssertionError[] last = {null};
        boolean ok = within(timeout, () -> {
            try {
                check.run();
                return true;
            } catch (AssertionError | RuntimeException notYet) {
                last[0] = notYet instanceof AssertionError a ? a : new AssertionError(notYet.toString(), notYet);
                return false;
            }
        });
        if (!ok) {
            AssertionError e = new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            if (last[0] != null) {
                e.initCause(last[0]);
            }
            throw e;
        }
    }

    /** A check that throws (an assertion or a client error) until what it checks holds. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    /** {@link #within}, and the test fails naming what it waited for when the condition never held. */
    public static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        if (!within(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
    }
}
