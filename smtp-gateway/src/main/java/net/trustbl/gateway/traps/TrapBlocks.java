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
 */
@ApplicationScoped
public class TrapBlocks {

    static final int MAX_ENTRIES = 100_000;

    private final long durationMillis;
    private final Clock clock;
    private final Map<String, Long> until = new ConcurrentHashMap<>();

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
