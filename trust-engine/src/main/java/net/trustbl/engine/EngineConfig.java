package net.trustbl.engine;

import java.util.List;

/**
 * Tunables of the engine. The defaults are the values the simulator showed to work; operators
 * may override them (trust-service maps {@code trustbl.engine.*} keys onto this record).
 *
 * @param listThreshold     trust-weighted score needed to list (two members at trust 0.5 reach it)
 * @param listingTtlMillis  a listing lapses this long after its last supporting evidence (24 h)
 * @param minMemberAgeMillis accounts younger than this cannot list on their own (7 days)
 * @param minReporterTrust  reporters below this trust cannot list on their own (0.1)
 * @param allowRanges       operator-configured ranges that are never listed
 */
public record EngineConfig(double listThreshold, long listingTtlMillis, long minMemberAgeMillis,
                           double minReporterTrust, List<IpBlock> allowRanges) {

    public static final long HOUR = 3_600_000L;
    public static final long DAY = 24 * HOUR;

    public static EngineConfig defaults() {
        return new EngineConfig(1.0, 24 * HOUR, 7 * DAY, 0.1, List.of());
    }

    public EngineConfig withAllowRanges(List<IpBlock> ranges) {
        return new EngineConfig(listThreshold, listingTtlMillis, minMemberAgeMillis, minReporterTrust, List.copyOf(ranges));
    }

    public EngineConfig withListingTtlMillis(long ttl) {
        return new EngineConfig(listThreshold, ttl, minMemberAgeMillis, minReporterTrust, allowRanges);
    }

    public EngineConfig withListThreshold(double threshold) {
        return new EngineConfig(threshold, listingTtlMillis, minMemberAgeMillis, minReporterTrust, allowRanges);
    }
}
