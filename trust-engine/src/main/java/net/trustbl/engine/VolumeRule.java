package net.trustbl.engine;

/**
 * The bar rises with an address's lookup volume: a big shared sender (looked up very often, with
 * few reports per lookup) is not listed by a handful of reports. Evidence that passes the plain
 * threshold but not the volume bar is held for a moderator instead. Lookups never lower a score
 * and never end a listing (a spammer cannot delist itself by querying its own address).
 */
final class VolumeRule {

    private final EngineConfig config;

    VolumeRule(EngineConfig config) {
        this.config = config;
    }

    double threshold(IpEvidence ip, double lookups) {
        if (ip.volumeWaived) {
            return config.listThreshold();
        }
        return config.listThreshold() * Math.max(1.0, lookups / config.volumeLookupsPerThreshold());
    }
}
