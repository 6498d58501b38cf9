package net.trustbl.dns.server;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether the served data may be answered from. A replica that has no data yet, or whose data is
 * older than the SOA expire without a successful refresh, must fail closed (SERVFAIL, as a DNS
 * secondary with an expired zone does): its "not listed" would let listed senders through. The
 * built-in responder serves the engine itself and uses {@link #always()}.
 * <p>
 * Read on every query: one volatile read (two and a clock read while failing closed is possible).
 */
public final class ZoneFreshness {

    private static final ZoneFreshness ALWAYS = new ZoneFreshness(false, Duration.ZERO, System::nanoTime);

    private final boolean failClosed;
    private final LongSupplier nanoClock;
    private volatile boolean loaded;
    private volatile long refreshedNanos;
    private volatile long expireNanos;

    private ZoneFreshness(boolean failClosed, Duration expire, LongSupplier nanoClock) {
        this.failClosed = failClosed;
        this.nanoClock = nanoClock;
        this.expireNanos = expire.toNanos();
    }

    /** Never fails closed (the built-in responder, tests). */
    public static ZoneFreshness always() {
        return ALWAYS;
    }

    /** Not servable until {@link #refreshed()}; then until {@code expire} passes without another. */
    public static ZoneFreshness failClosed(Duration expire) {
        return failClosed(expire, System::nanoTime);
    }

    /** As {@link #failClosed(Duration)} on a given clock (tests move time without waiting). */
    public static ZoneFreshness failClosed(Duration expire, LongSupplier nanoClock) {
        if (expire.isNegative() || expire.isZero()) {
            throw new IllegalArgumentException("expire must be positive: " + expire);
        }
        return new ZoneFreshness(true, expire, nanoClock);
    }

    /** The data was loaded, or a refresh confirmed it current: its age starts again from now. */
    public void refreshed() {
        refreshedNanos = nanoClock.getAsLong();
        loaded = true;
    }

    /** The SOA expire that applies from now on (a secondary takes its primary's). */
    public void expireAfter(Duration expire) {
        if (!expire.isNegative() && !expire.isZero()) {
            expireNanos = expire.toNanos();
        }
    }

    /** True when answers may come from the data; false means SERVFAIL for names in the zones. */
    public boolean servable() {
        if (!failClosed) {
            return true;
        }
        return loaded && nanoClock.getAsLong() - refreshedNanos < expireNanos;
    }

    public boolean failsClosed() {
        return failClosed;
    }

    public boolean loaded() {
        return !failClosed || loaded;
    }

    /** Seconds since the last load or successful refresh; NaN before the first one (or when not tracked). */
    public double ageSeconds() {
        if (!failClosed || !loaded) {
            return Double.NaN;
        }
        return (nanoClock.getAsLong() - refreshedNanos) / 1e9;
    }

    public long expireSeconds() {
        return expireNanos / 1_000_000_000L;
    }
}
