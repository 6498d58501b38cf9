package net.trustbl.gateway.filter;

/**
 * What one message's attachment scan may spend: decompressed bytes, archive entries, nesting depth
 * and wall-clock time. Archives are attacker-made; without these a zip bomb or a million tiny
 * entries would hold a worker thread for as long as the sender likes.
 */
final class ScanBudget {

    final int maxDepth;
    private long inflatedLeft;
    private int entriesLeft;
    private final long deadlineNanos;

    ScanBudget(int maxDepth, long maxInflatedBytes, int maxEntries, long timeoutMillis) {
        this.maxDepth = maxDepth;
        this.inflatedLeft = maxInflatedBytes;
        this.entriesLeft = maxEntries;
        this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    /** Counts decompressed bytes; also the point where a long scan notices its deadline. */
    void inflated(long bytes) throws Uninspectable {
        inflatedLeft -= bytes;
        if (inflatedLeft < 0) {
            throw new Uninspectable("archive content larger than the decompression budget");
        }
        checkDeadline();
    }

    void entries(int count) throws Uninspectable {
        entriesLeft -= count;
        if (entriesLeft < 0) {
            throw new Uninspectable("more archive entries than the scan budget");
        }
    }

    void checkDeadline() throws Uninspectable {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw Uninspectable.deadlinePassed();
        }
    }
}
