package net.trustbl.ui;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets that can be asked before they are charged: login checks "may this address try?"
 * first and charges only failed attempts, so a member who types the right password is never
 * slowed by the limit, but guessing is.
 */
public final class AttemptLimiter {

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public AttemptLimiter(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Seconds until one more attempt is allowed; 0 when it is allowed now. */
    public long waitSeconds(String key) {
        Bucket b = buckets.get(key);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            refill(b, System.nanoTime());
            return b.tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
        }
    }

    /** Takes one token (may go to zero; callers ask {@link #waitSeconds} first). */
    public void charge(String key) {
        long now = System.nanoTime();
        if (buckets.size() > 100_000) {
            buckets.clear(); // bounded memory under a flood of distinct keys
        }
        Bucket b = buckets.computeIfAbsent(key, k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.lastNanos = now;
            return n;
        });
        synchronized (b) {
            refill(b, now);
            b.tokens = Math.max(0, b.tokens - 1);
        }
    }

    /** Asks and charges in one step: true when allowed. */
    public boolean tryAcquire(String key) {
        if (waitSeconds(key) > 0) {
            return false;
        }
        charge(key);
        return true;
    }

    private void refill(Bucket b, long now) {
        b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) / 1e9 * perSecond);
        b.lastNanos = now;
    }
}
