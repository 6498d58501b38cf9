package net.trustbl.engine;

/**
 * The bar rises with an address's lookup volume: a big shared sender (looked up very often, with
 * few reports per lookup) is not listed by a handful of reports. Evidence that passes the plain
 * threshold but not the volume bar is held for a moderator instead. Lookups never lower a score
 * and never end a listing (a spammer cannot delist itself by querying its own address).
 *
 * <p>Lookups are counted once per client network per interval before they get here, and the bar
 * may rise at most {@link EngineConfig#volumeGrowthPerDay()}-fold a day: a spam source whose
 * operator queries it from many networks cannot lift its own bar overnight, while a sender that
 * has been busy for weeks has its full bar.
 */
final class VolumeRule {

    private final EngineConfig config;

    VolumeRule(EngineConfig config) {
        this.config = config;
    }

    /**
     * The score {@code ip} needs at {@code now}. An address that is sending (receivers look it up)
     * but has no clean record yet, or whose listing lapsed this week, needs only
     * {@link EngineConfig#freshBarShare()} of the plain bar: new spam sources and botnet addresses
     * are listed on one established member's report, as SpamCop lists on one report. Members on
     * probation together stay below even that bar, and an address with a clean record is never
     * listed on reports alone (TrustEngine holds it for a moderator). An address nobody looks up
     * sends no mail to the list's users: it keeps the plain bar.
     */
    double threshold(IpEvidence ip, double lookups, long now) {
        double volumeThreshold = volumeThreshold(ip, lookups);
        return ip.volumeWaived || !fresh(ip, now) ? volumeThreshold : volumeThreshold * config.freshBarShare();
    }

    /** The plain threshold raised by volume (what lookups can move), before the lowering for unproven senders. */
    double volumeThreshold(IpEvidence ip, double lookups) {
        if (ip.volumeWaived) {
            return config.listThreshold();
        }
        return config.listThreshold() * Math.max(1.0, Math.min(lookups / config.volumeLookupsPerThreshold(), ip.barFactor));
    }

    /**
     * A sender without a clean record: looked up this week but with fewer clean days than
     * {@link EngineConfig#tenureMinDays()}; or a repeat offender (its listing lapsed this week).
     */
    boolean fresh(IpEvidence ip, long now) {
        if (ip.lapsedAt != 0 && now - ip.lapsedAt <= config.evidenceMaxAgeMillis()) {
            return true;
        }
        return ip.lastTrafficDay != Long.MIN_VALUE && ip.lastTrafficDay >= Math.floorDiv(now, EngineConfig.DAY) - 7
                && ip.cleanDays(now) < config.tenureMinDays() && ip.ip.isSingleAddress();
    }

    /** A busy shared sender: some trapped spam is expected there and says little about the rest. */
    boolean busy(IpEvidence ip, double lookups) {
        return Math.min(lookups / config.volumeLookupsPerThreshold(), ip.barFactor) >= config.busySenderFactor();
    }

    /** New lookups at {@code now}: the bar follows the volume, no faster than the growth cap allows. */
    void observed(IpEvidence ip, double lookups, long now) {
        double wanted = Math.max(1.0, lookups / config.volumeLookupsPerThreshold());
        if (ip.barAt == Long.MIN_VALUE) {
            ip.barFactor = 1.0;
        } else if (wanted > ip.barFactor) {
            double days = (now - ip.barAt) / (double) EngineConfig.DAY;
            double allowed = Math.max(1.0, ip.barFactor) * Math.pow(config.volumeGrowthPerDay(), days);
            ip.barFactor = Math.min(wanted, allowed);
        } else {
            ip.barFactor = wanted;
        }
        ip.barAt = now;
    }
}
