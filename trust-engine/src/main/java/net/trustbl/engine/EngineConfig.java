package net.trustbl.engine;

import java.util.List;

/**
 * Tunables of the engine. The defaults are the values the simulator showed to work; operators
 * may override them (trust-service maps {@code trustbl.engine.*} keys onto this record).
 *
 * @param listThreshold          trust-weighted score needed to list (two members at trust 0.5 reach it)
 * @param listingTtlMillis       a listing lapses this long after its last supporting evidence (24 h)
 * @param minMemberAgeMillis     accounts younger than this (when they report) cannot list on their own (7 days)
 * @param minReporterTrust       reporters below this trust cannot list on their own (0.1)
 * @param allowRanges            operator-configured ranges that are never listed
 * @param newMemberTrust         trust a member starts with
 * @param trustGainPerConfirmation trust a member earns per confirmed report (halved per strike);
 *                               0.05 + 20 × 0.023 ≈ 0.5: about twenty confirmations make a member trusted
 * @param confirmWindowMillis    a report is confirmed when its address is listed or hits a trap this soon after (48 h)
 * @param fullWeightMillis       reports and trap hits keep full weight this long (24 h) ...
 * @param decayMillis            ... then lose weight linearly until this age (48 h) ...
 * @param staleWeight            ... where they keep this share (0.25, SpamCop's 4:1) ...
 * @param evidenceMaxAgeMillis   ... until they are ignored altogether (7 days)
 * @param trapHitWeight          score of one fresh spam-trap hit
 * @param volumeLookupsPerThreshold recent lookups that add one listThreshold to the bar: an address
 *                               with N recent lookups needs max(1, N / this) × listThreshold
 * @param lookupHalfLifeMillis   recent lookups halve over this time
 * @param minPositiveToClear     trusted positive weight needed before positive reports can clear spam reports
 * @param snowshoeMinListed      listed single addresses inside one /24 (IPv4) or /64 (IPv6) that make the
 *                               engine list the whole block; 0 disables block escalation
 */
public record EngineConfig(double listThreshold, long listingTtlMillis, long minMemberAgeMillis,
                           double minReporterTrust, List<IpBlock> allowRanges,
                           double newMemberTrust, double trustGainPerConfirmation, long confirmWindowMillis,
                           long fullWeightMillis, long decayMillis, double staleWeight, long evidenceMaxAgeMillis,
                           double trapHitWeight, double volumeLookupsPerThreshold, long lookupHalfLifeMillis,
                           double minPositiveToClear, int snowshoeMinListed) {

    public static final long HOUR = 3_600_000L;
    public static final long DAY = 24 * HOUR;

    public EngineConfig {
        allowRanges = List.copyOf(allowRanges);
        if (!(listThreshold > 0) || listingTtlMillis <= 0 || fullWeightMillis > decayMillis
                || decayMillis > evidenceMaxAgeMillis || !(volumeLookupsPerThreshold > 0) || lookupHalfLifeMillis <= 0) {
            throw new IllegalArgumentException("inconsistent engine configuration");
        }
    }

    /** The original five-setting form; every other tunable takes its default. */
    public EngineConfig(double listThreshold, long listingTtlMillis, long minMemberAgeMillis,
                        double minReporterTrust, List<IpBlock> allowRanges) {
        this(listThreshold, listingTtlMillis, minMemberAgeMillis, minReporterTrust, allowRanges,
                0.05, 0.023, 48 * HOUR, 24 * HOUR, 48 * HOUR, 0.25, 7 * DAY,
                1.0, 5_000, 7 * DAY, 1.0, 4);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(1.0, 24 * HOUR, 7 * DAY, 0.1, List.of());
    }

    public EngineConfig withAllowRanges(List<IpBlock> ranges) {
        return new EngineConfig(listThreshold, listingTtlMillis, minMemberAgeMillis, minReporterTrust, ranges,
                newMemberTrust, trustGainPerConfirmation, confirmWindowMillis, fullWeightMillis, decayMillis,
                staleWeight, evidenceMaxAgeMillis, trapHitWeight, volumeLookupsPerThreshold, lookupHalfLifeMillis,
                minPositiveToClear, snowshoeMinListed);
    }

    public EngineConfig withListingTtlMillis(long ttl) {
        return new EngineConfig(listThreshold, ttl, minMemberAgeMillis, minReporterTrust, allowRanges,
                newMemberTrust, trustGainPerConfirmation, confirmWindowMillis, fullWeightMillis, decayMillis,
                staleWeight, evidenceMaxAgeMillis, trapHitWeight, volumeLookupsPerThreshold, lookupHalfLifeMillis,
                minPositiveToClear, snowshoeMinListed);
    }

    public EngineConfig withListThreshold(double threshold) {
        return new EngineConfig(threshold, listingTtlMillis, minMemberAgeMillis, minReporterTrust, allowRanges,
                newMemberTrust, trustGainPerConfirmation, confirmWindowMillis, fullWeightMillis, decayMillis,
                staleWeight, evidenceMaxAgeMillis, trapHitWeight, volumeLookupsPerThreshold, lookupHalfLifeMillis,
                minPositiveToClear, snowshoeMinListed);
    }

    public EngineConfig withTrapHitWeight(double weight) {
        return new EngineConfig(listThreshold, listingTtlMillis, minMemberAgeMillis, minReporterTrust, allowRanges,
                newMemberTrust, trustGainPerConfirmation, confirmWindowMillis, fullWeightMillis, decayMillis,
                staleWeight, evidenceMaxAgeMillis, weight, volumeLookupsPerThreshold, lookupHalfLifeMillis,
                minPositiveToClear, snowshoeMinListed);
    }

    public EngineConfig withVolumeLookupsPerThreshold(double lookups) {
        return new EngineConfig(listThreshold, listingTtlMillis, minMemberAgeMillis, minReporterTrust, allowRanges,
                newMemberTrust, trustGainPerConfirmation, confirmWindowMillis, fullWeightMillis, decayMillis,
                staleWeight, evidenceMaxAgeMillis, trapHitWeight, lookups, lookupHalfLifeMillis,
                minPositiveToClear, snowshoeMinListed);
    }

    public EngineConfig withSnowshoeMinListed(int minListed) {
        return new EngineConfig(listThreshold, listingTtlMillis, minMemberAgeMillis, minReporterTrust, allowRanges,
                newMemberTrust, trustGainPerConfirmation, confirmWindowMillis, fullWeightMillis, decayMillis,
                staleWeight, evidenceMaxAgeMillis, trapHitWeight, volumeLookupsPerThreshold, lookupHalfLifeMillis,
                minPositiveToClear, minListed);
    }
}
