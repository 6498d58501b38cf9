package net.trustbl.gateway.traps;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.gateway.config.GatewayConfig;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients this gateway refuses for a while because they sent to a spam trap
 * ({@code gateway.traps.block-duration}, default 1 h). Local and in memory: the network learns of
 * the hit through the trap-hit queue; this only spares the members behind this gateway the
 * client's next messages. Bounded: when full, expired entries go first, then the new block is
 * not kept (the network still lists the client).
 * <p>
 * It also decides which hits are reported: one per client per block duration, at least
 * {@link #MIN_REPORT_INTERVAL_MILLIS} (a client that pipelines thousands of trap recipients, or
 * opens transaction after transaction, would otherwise queue a database row and a report for
 * each, and fill the pool that greylisting shares; the network learns as much from one).
 */
@ApplicationScoped
public class TrapBlocks {

    static final int MAX_ENTRIES = 100_000;
    static final long MIN_REPORT_INTERVAL_MILLIS = 10 * 60_000L;

    private final long durationMillis;
    private final Clock clock;
    private final Map<String, Long> until = new ConcurrentHashMap<>();
    private final Map<String, Long> reportedUntil = new ConcurrentHashMap<>();

    @Inject
    public TrapBlocks(GatewayConfig config) {
        this(config.traps().blockDuration().toMillis(), Clock.systemUTC());
    }

    TrapBlocks(long durationMillis, Clock clock) {
        this.durationMillis = durationMillis;
        this.clock = clock;
    }

    /** Starts (or extends) the block of a client that just hit a trap. */
    public void block(String clientAddress) {
        if (durationMillis <= 0) {
            return;
        }
        long now = clock.millis();
        if (until.size() >= MAX_ENTRIES) {
            until.values().removeIf(t -> t <= now);
            if (until.size() >= MAX_ENTRIES) {
                return;
            }
        }
        until.put(clientAddress, now + durationMillis);
    }

    /**
     * Whether a trap hit of this client is to be reported now: true for its first hit in the
     * report interval (the block duration, at least 10 minutes), false for the ones after it.
     */
    public boolean firstHitToReport(String clientAddress) {
        long now = clock.millis();
        if (reportedUntil.size() >= MAX_ENTRIES) {
            reportedUntil.values().removeIf(t -> t <= now);
            if (reportedUntil.size() >= MAX_ENTRIES) {
                return true; // full of live entries: report (the queue is bounded by its own age limit)
            }
        }
        long next = now + Math.max(durationMillis, MIN_REPORT_INTERVAL_MILLIS);
        Long before = reportedUntil.get(clientAddress);
        if (before != null && before > now) {
            return false;
        }
        return before == null ? reportedUntil.putIfAbsent(clientAddress, next) == null
                : reportedUntil.replace(clientAddress, before, next);
    }

    /** When the client's block ends, or null when it is not blocked. */
    public Instant blockedUntil(String clientAddress) {
        Long t = until.get(clientAddress);
        if (t == null) {
            return null;
        }
        if (t <= clock.millis()) {
            until.remove(clientAddress, t);
            return null;
        }
        return Instant.ofEpochMilli(t);
    }
}
