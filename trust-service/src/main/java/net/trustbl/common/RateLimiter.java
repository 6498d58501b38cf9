package net.trustbl.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (API key, client address, account…): {@code ratePerSecond} sustained
 * with bursts up to {@code burst}. Two ways to use it: {@link #acquire} takes tokens or throws 429
 * (API rate limits); {@link #waitSeconds} asks first and {@link #charge} charges only when the
 * caller decides (login charges failed attempts only, so the right password is never slowed).
 */
public final class RateLimiter {

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private static final int MAX_KEYS = 100_000;

    private final double ratePerSecond;
    private final double burst;
    private final Map<Object, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double ratePerSecond, double burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    /** Takes {@code cost} tokens or throws 429 with the seconds after which that many will be there. */
    public void acquire(Object key, double cost) {
        Bucket b = bucket(key);
        synchronized (b) {
            refill(b, System.nanoTime());
            if (b.tokens >= cost) {
                b.tokens -= cost;
                return;
            }
            double missing = Math.min(cost, burst) - b.tokens;
            throw ProblemException.rateLimited(Math.max(1, (long) Math.ceil(missing / ratePerSecond)));
        }
    }

    /** Seconds until one more attempt is allowed; 0 when it is allowed now. Charges nothing. */
    public long waitSeconds(Object key) {
        Bucket b = buckets.get(key);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            refill(b, System.nanoTime());
            return b.tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - b.tokens) / ratePerSecond));
        }
    }

    /** Takes one token (never below zero; callers ask {@link #waitSeconds} first). */
    public void charge(Object key) {
        Bucket b = bucket(key);
        synchronized (b) {
            refill(b, System.nanoTime());
            b.tokens = Math.max(0, b.tokens - 1);
        }
    }

    /** Asks and charges in one step: true when allowed. */
    public boolean tryAcquire(Object key) {
        if (waitSeconds(key) > 0) {
            return false;
        }
        charge(key);
        return true;
    }

    private Bucket bucket(Object key) {
        if (buckets.size() > MAX_KEYS) {
            buckets.clear(); // bounded memory under a flood of distinct keys; worst case a fresh burst
        }
        long now = System.nanoTime();
        return buckets.computeIfAbsent(key, k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.lastNanos = now;
            return n;
        });
    }

    private void refill(Bucket b, long now) {
        b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) / 1e9 * ratePerSecond);
        b.lastNanos = now;
    }
}
