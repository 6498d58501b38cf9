package net.trustbl.gateway.budget;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of messages all sessions together may hold in memory ({@code gateway.limits.in-flight-bytes}),
 * or in spool files ({@code gateway.limits.spool-bytes}, a second instance).
 * A session reserves as its message grows and gives the bytes back when the transaction ends; a
 * reservation that does not fit is refused, and the message is answered 452 4.3.1 so the sender
 * retries later instead of the gateway running out of memory. Shared by every event loop.
 */
public final class InFlightBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public InFlightBudget(long limit) {
        this.limit = limit;
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
