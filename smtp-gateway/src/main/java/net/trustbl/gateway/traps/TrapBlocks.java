package net.trustbl.gateway.traps;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.protocol.ClientKeys;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;

/**
 * Clients this gateway refuses for a while because they sent to a spam trap
 * ({@code gateway.traps.block-duration}, default 1 h). Local and in memory: the network learns of
 * the hit through the trap-hit queue; this only spares the members behind this gateway the
 * client's next messages. A client is its address for IPv4 and its /64 for IPv6, as for the
 * connection limits and greylisting ({@link ClientKeys#connectionKey}): an IPv6 client picks any
 * address in its /64. Bounded: when full, the oldest block makes room for the new one.
 * <p>
 * It also decides which hits are reported: one per client per block duration, at least
 * {@link #MIN_REPORT_INTERVAL_MILLIS} (a client that pipelines thousands of trap recipients, or
 * opens transaction after transaction, would otherwise queue a database row and a report for
 * each, and fill the pool that greylisting shares; the network learns as much from one). The
 * report names the address that sent.
 */
@ApplicationScoped
public class TrapBlocks {

    static final int MAX_ENTRIES = 100_000;
    static final long MIN_REPORT_INTERVAL_MILLIS = 10 * 60_000L;

    private final long durationMillis;
    private final Clock clock;
    private final ExpiringKeys until = new ExpiringKeys(MAX_ENTRIES);
    private final ExpiringKeys reportedUntil = new ExpiringKeys(MAX_ENTRIES);

    @Inject
    public TrapBlocks(GatewayConfig config) {
        this(config.traps().blockDuration().toMillis(), Clock.systemUTC());
    }

    TrapBlocks(long durationMillis, Clock clock) {
        this.durationMillis = durationMillis;
        this.clock = clock;
    }

    /** Starts (or extends) the block of a client that just hit a trap. */
    public void block(InetAddress client) {
        if (durationMillis <= 0) {
            return;
        }
        long now = clock.millis();
        until.put(ClientKeys.connectionKey(client), now + durationMillis, now);
    }

    /**
     * Whether a trap hit of this client is to be reported now: true for its first hit in the
     * report interval (the block duration, at least 10 minutes), false for the ones after it.
     */
    public boolean firstHitToReport(InetAddress client) {
        long now = clock.millis();
        return reportedUntil.putIfUnset(ClientKeys.connectionKey(client),
                now + Math.max(durationMillis, MIN_REPORT_INTERVAL_MILLIS), now);
    }

    /** When the client's block ends, or null when it is not blocked. */
    public Instant blockedUntil(InetAddress client) {
        Long t = until.get(ClientKeys.connectionKey(client), clock.millis());
        return t == null ? null : Instant.ofEpochMilli(t);
    }
}
