package net.trustbl.gateway.budget;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of messages all sessions together may hold in memory ({@code gateway.limits.in-flight-bytes}),
 * or in spool files ({@code gateway.limits.spool-bytes}, a second instance).
 * A session reserves as its message grows and gives the bytes back when the transaction ends; a
 * reservation that does not fit is refused, and the message is answered 452 4.3.1 so the sender
 * retries later instead of the gateway running out of memory. Shared by every event loop.
 * <p>
 * One client (an IPv4 address, an IPv6 /64) may hold at most {@link #CLIENT_SHARE} of it: without
 * that, a few addresses that open many sessions and send each message slowly, just above the
 * minimum data rate, held the whole budget for minutes and every other sender got 452.
 */
public final class InFlightBudget {

    /** The part of the budget one client may hold: an eighth. */
    public static final int CLIENT_SHARE = 8;

    private final long limit;
    private final long perClientLimit;
    private final AtomicLong used = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> perClient = new ConcurrentHashMap<>();

    public InFlightBudget(long limit) {
        this.limit = limit;
        this.perClientLimit = limit / CLIENT_SHARE;
    }

    /** As {@link #reserve(long)}, and within the share of {@code client} (null: no share applies). */
    public boolean reserve(String client, long bytes) {
        if (client == null) {
            return reserve(bytes);
        }
        boolean[] fits = {false};
        perClient.compute(client, (k, held) -> {
            long now = held == null ? 0 : held.get();
            if (now + bytes > perClientLimit) {
                return held;
            }
            fits[0] = true;
            AtomicLong a = held == null ? new AtomicLong() : held;
            a.addAndGet(bytes);
            return a;
        });
        if (!fits[0]) {
            return false;
        }
        if (!reserve(bytes)) {
            releaseShare(client, bytes);
            return false;
        }
        return true;
    }

    /** Gives back what {@link #reserve(String, long)} took. */
    public void release(String client, long bytes) {
        release(bytes);
        if (client != null) {
            releaseShare(client, bytes);
        }
    }

    private void releaseShare(String client, long bytes) {
        perClient.computeIfPresent(client, (k, held) -> held.addAndGet(-bytes) <= 0 ? null : held);
    }

    /** As {@link #hasRoom(long)}, and within the share of {@code client} (null: no share applies). */
    public boolean hasRoom(String client, long bytes) {
        return hasRoom(bytes) && (client == null || usedBy(client) + bytes <= perClientLimit);
    }

    /** Bytes {@code client} holds (tests). */
    public long usedBy(String client) {
        AtomicLong a = perClient.get(client);
        return a == null ? 0 : a.get();
    }

    /** True when the bytes fit and are now reserved. */
    public boolean reserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** True when at least this many bytes are free now (a cheap early check, not a reservation). */
    public boolean hasRoom(long bytes) {
        return used.get() + bytes <= limit;
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public long used() {
        return used.get();
    }
}
