package net.trustbl.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (API key, client address…): {@code ratePerSecond} sustained with bursts
 * up to {@code burst}. Lock-free enough for request paths: one small synchronized block per key.
 */
public final class RateLimiter {

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private final double ratePerSecond;
    private final double burst;
    private final Map<Object, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double ratePerSecond, double burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    /**
     * Takes {@code cost} tokens or throws 429 with the seconds after which that many will be there.
     */
    public void acquire(Object key, double cost) {
        long now = System.nanoTime();
        if (buckets.size() > 100_000) {
            buckets.clear(); // bounded memory under a flood of distinct keys; worst case a fresh burst
        }
        Bucket b = buckets.computeIfAbsent(key, k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.lastNanos = now;
            return n;
        });
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) / 1e9 * ratePerSecond);
            b.lastNanos = now;
            if (b.tokens >= cost) {
                b.tokens -= cost;
                return;
            }
            double missing = Math.min(cost, burst) - b.tokens;
            throw ProblemException.rateLimited(Math.max(1, (long) Math.ceil(missing / ratePerSecond)));
        }
    }
}
