package net.trustbl.gateway.smtp;

/**
 * The limits on how long a session may hold the gateway, whatever it sends: a total lifetime,
 * and while a message is read a minimum average data rate (after a grace period, so a slow start
 * is not punished). Time in nanoseconds from {@link System#nanoTime()}.
 */
final class SessionDeadlines {

    /** Time a message may take before its average rate is judged. */
    static final long GRACE_NANOS = 30_000_000_000L;

    private final long startedAt;
    private final long maxLifetimeNanos;
    private final long minBytesPerSecond;
    private long dataStartedAt = -1;

    SessionDeadlines(long startedAt, long maxLifetimeNanos, long minBytesPerSecond) {
        this.startedAt = startedAt;
        this.maxLifetimeNanos = maxLifetimeNanos;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    void dataStarted(long now) {
        dataStartedAt = now;
    }

    void dataEnded() {
        dataStartedAt = -1;
    }

    /** True when the session has lived longer than allowed (0 = no limit). */
    boolean expired(long now) {
        return maxLifetimeNanos > 0 && now - startedAt > maxLifetimeNanos;
    }

    /** True when the message being read arrives slower than the minimum rate, past the grace period. */
    boolean tooSlow(long now, long bytesRead) {
        if (dataStartedAt < 0 || minBytesPerSecond <= 0) {
            return false;
        }
        long judged = now - dataStartedAt - GRACE_NANOS;
        return judged > 0 && bytesRead < minBytesPerSecond * (judged / 1_000_000_000.0);
    }
}
