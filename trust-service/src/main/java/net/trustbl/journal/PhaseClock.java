package net.trustbl.journal;

/**
 * Milliseconds spent per named phase of a start-up or take-over, for its log line: the take-over
 * budget (2 s) is only kept by knowing which phase eats it.
 */
final class PhaseClock {

    private final long started = System.nanoTime();
    private final StringBuilder phases = new StringBuilder();
    private long last = started;

    /** Ends the phase running since the last mark (or since this clock was made). */
    void mark(String phase) {
        long now = System.nanoTime();
        if (!phases.isEmpty()) {
            phases.append(", ");
        }
        phases.append(phase).append(' ').append((now - last) / 1_000_000).append(" ms");
        last = now;
    }

    long totalMillis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public String toString() {
        return phases.toString();
    }
}
