package net.trustbl.responder;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The central service's own switches for the DNS responder it runs ({@link DnsResponderHost}).
 * The responder's settings proper ({@code trustbl.dns.bind}, {@code zone}, {@code ttl.*}…) are
 * read by the responder's own reader ({@link DnsSettings}), not here.
 */
@ConfigMapping(prefix = "trustbl.dns")
public interface DnsHostConfig {

    /** Whether this service answers DNS itself (false when only standalone responders serve the zones). */
    @WithDefault("true")
    boolean enabled();

    /**
     * The file that keeps the zone's serial from going back after a restart; the allow zone's is
     * beside it with {@code -allow} appended. Unset: {@code <trustbl.data-dir>/dns-serial}.
     */
    Optional<String> serialFile();

    /**
     * How often the lookups counted here go to the journal as traffic ({@code @Scheduled} in
     * DnsResponderHost and TrafficInbox read it by this key; the default is this one).
     */
    @WithDefault("60s")
    Duration trafficInterval();

    /** How often the responder's latency histogram is copied into the exported timer ({@code @Scheduled}). */
    @WithDefault("5s")
    Duration metricsInterval();

    /** The rbldnsd export ({@code GET /api/v1/export/rbldnsd/...}, {@link ExportSlots}). */
    Export export();

    interface Export {
        /** Downloads of the export that run at once, from everyone together (503 + Retry-After beyond). */
        @WithDefault("8")
        int maxDownloads();

        /** Downloads at once from one client: an IPv4 address or an IPv6 /64. */
        @WithDefault("2")
        int maxDownloadsPerClient();
    }
}
