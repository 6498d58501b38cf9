package net.trustbl.common;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Token buckets per key (API key, client network, account…): {@code ratePerSecond} sustained
 * with bursts up to {@code burst}. Two ways to use it: {@link #acquire} takes tokens or throws 429
 * (API rate limits); {@link #waitSeconds} asks first and {@link #charge} charges only when the
 * caller decides (login charges failed attempts only, so the right password is never slowed).
 *
 * Memory stays bounded without ever forgetting a throttled key: a bucket left alone until it has
 * refilled completely is the same as no bucket, so it expires then. Only that; a flood of distinct
 * keys (an attacker making many keys or addresses) costs memory for as long as their buckets are
 * not full, and never resets anyone else's throttle. The size cap is a last safety net far above
 * that, and even there the cache evicts rarely used buckets, not all of them.
 */
public final class RateLimiter {

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    /** Far above what expiry leaves alive; only a guard against running out of heap. */
    static final long MAX_KEYS = 500_000;

    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier clock;
    private final Cache<Object, Bucket> buckets;

    public RateLimiter(double ratePerSecond, double burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    /** With the clock (nanoseconds) that refills the buckets and expires idle ones; tests pass their own. */
    public RateLimiter(double ratePerSecond, double burst, LongSupplier clock) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.clock = clock;
        // full again after burst / rate seconds; one second more so that rounding never forgets a debt
        Duration idle = Duration.ofNanos((long) Math.min(Long.MAX_VALUE / 2.0, Math.ceil(burst / ratePerSecond * 1e9)))
                .plusSeconds(1);
        this.buckets = Caffeine.newBuilder().expireAfterAccess(idle).maximumSize(MAX_KEYS)
                .ticker(clock::getAsLong).build();
    }

    /** Takes {@code cost} tokens or throws 429 with the seconds after which that many will be there. */
    public void acquire(Object key, double cost) {
        Bucket b = bucket(key);
        synchronized (b) {
            refill(b, clock.getAsLong());
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
        Bucket b = buckets.getIfPresent(key);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            refill(b, clock.getAsLong());
            return b.tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - b.tokens) / ratePerSecond));
        }
    }

    /** Takes one token (never below zero; callers ask {@link #waitSeconds} first). */
    public void charge(Object key) {
        Bucket b = bucket(key);
        synchronized (b) {
            refill(b, clock.getAsLong());
            b.tokens = Math.max(0, b.tokens - 1);
        }
    }

    /** Asks and charges in one step (atomic: concurrent callers never share one token): true when allowed. */
    public boolean tryAcquire(Object key) {
        return take(key) == 0;
    }

    /**
     * {@link #tryAcquire} that says how long to wait when refused: 0 when a token was taken, else the
     * seconds (at least 1) until one will be there. One step, so parallel callers cannot all pass a
     * check before any of them is charged.
     */
    public long take(Object key) {
        Bucket b = bucket(key);
        synchronized (b) {
            refill(b, clock.getAsLong());
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / ratePerSecond));
        }
    }

    /** Gives back a token {@link #tryAcquire} took (the attempt turned out not to count). */
    public void refund(Object key) {
        Bucket b = bucket(key);
        synchronized (b) {
            refill(b, clock.getAsLong());
            b.tokens = Math.min(burst, b.tokens + 1);
        }
    }

    /** Buckets held now (after pending expiries are done); for tests and metrics. */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket bucket(Object key) {
        return buckets.get(key, k -> {
            Bucket n = new Bucket();
            n.tokens = burst;
            n.lastNanos = clock.getAsLong();
            return n;
        });
    }

    private void refill(Bucket b, long now) {
        b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) / 1e9 * ratePerSecond);
        b.lastNanos = now;
    }
}
