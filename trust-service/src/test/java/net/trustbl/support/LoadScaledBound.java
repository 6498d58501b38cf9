package net.trustbl.support;

import java.lang.management.ManagementFactory;

/**
 * A latency bound for tests of the service's promises ("listed within 1 s"): the promise holds on
 * a machine with a core free, so on a machine busier than one runnable task per core the bound
 * grows with the load, or the test would measure the neighbours instead of the service.
 */
public final class LoadScaledBound {

    private LoadScaledBound() {
    }

    public static long millis(long promisedMillis) {
        double loadPerCore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                / Runtime.getRuntime().availableProcessors();
        return (long) (promisedMillis * Math.max(1.0, loadPerCore));
    }

    /** The assertion message: the time measured, the bound and the load it was scaled for. */
    public static String describe(String what, long millis, long bound) {
        return what + " after " + millis + " ms (bound " + bound + " ms at load average "
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + ")";
    }
}
