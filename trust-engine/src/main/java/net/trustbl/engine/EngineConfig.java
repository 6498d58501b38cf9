package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.util.List;

/**
 * Tunables of the engine. The defaults were chosen on the simulator's random-world sweep
 * ({@code ops/bench/simulate --worlds 200}); operators may override them (trust-service maps
 * {@code trustbl.engine.*} keys onto this record).
 *
 * @param listThreshold trust-weighted score needed to list (two members at trust 0.5 reach it)
 * @param listingTtlMillis a listing lapses this long after its last supporting evidence (24 h)
 * @param minMemberAgeMillis accounts younger than this (when they report) cannot list on their own and create no evidence (3 days)
 * @param minReporterTrust reporters below this trust cannot list on their own (0.1)
 * @param allowRanges operator-configured ranges that are never listed
 * @param newMemberTrust trust a member starts with
 * @param trustGainPerConfirmation trust a member earns per independent confirmation (halved per strike); 0.05 + 20 × 0.023 ≈ 0.5
 * @param confirmWindowMillis a report is confirmed when its address is listed or hits a trap this soon after (48 h)
 * @param fullWeightMillis reports and trap hits keep full weight this long (24 h) ...
 * @param decayMillis ... then lose weight linearly until this age (48 h) ...
 * @param staleWeight ... where they keep this share (0.25, SpamCop's 4:1) ...
 * @param evidenceMaxAgeMillis ... until they are ignored altogether (7 days)
 * @param trapHitWeight score of one fresh spam-trap hit
 * @param volumeLookupsPerThreshold recent lookups that add one listThreshold to the bar: an address with N recent lookups needs max(1, N / this) × listThreshold
 * @param lookupHalfLifeMillis recent lookups halve over this time
 * @param minPositiveToClear established members' positive weight on a listed address that opens a dispute for a moderator
 * @param snowshoeMinListed listed single addresses inside one /24 (IPv4) or /64 (IPv6) that make the engine list the whole block; 0 disables block escalation
 * @param establishedAgeMillis a member is established (its reports count without the probation cap) from this account age on ...
 * @param establishedEarningDays ... once it has earned trust on this many distinct days since its last strike (pinned members always are)
 * @param probationShare share of an address's bar that all members on probation together can add to it
 * @param earlyShare a report earns trust only if the address's score was below this share of its bar when it was filed
 * @param maxEarningsPerDay confirmations that earn trust per member per day at most
 * @param precisionHalfLifeMillis a member's claims and their confirmations are counted with this half-life (its precision bounds its trust)
 * @param tenureMinDays days with lookups (within the last 63) that give an address a clean history: member reports alone then hold it for a moderator
 * @param tenureMinLookupsPerDay counted lookups that make a day count toward that history
 * @param volumeGrowthPerDay the volume bar rises at most by this factor per day
 * @param freshBarShare the bar of an address that is sending without a clean record (or whose listing lapsed this week), as a share of the plain bar
 * @param busySenderFactor from this volume factor on an address is a busy shared sender: trap hits no longer wipe its clean history
 * @param newSenderMillis an address first looked up less than this ago, without a clean record, is a new sender: members on probation count there without their cap
 * @param cohortMillis accounts created within this time of each other are one cohort (see CohortWatch); members on probation of one cohort earn from one IPv4 /24 once between them within a week (Confirmations)
 * @param cohortSuspectMillis when a listing that two or more reporters of one cohort supported is found wrong, every account of that cohort counts as on probation for this long (0 disables)
 * @param coalitionMinReporters a new sender without trap hits reported by at least this many members ...
 * @param coalitionReportersPerLookup ... more than this many per recent lookup is a coalition's target when coalitionMinReporters of them were created within cohortMillis of each other and none apart: accounts created within a day of those count as on probation (CohortWatch), without strikes; 0 reporters disables
 * @param coalitionTargetHoldMillis a coalition's target (and the new senders its accounts reported the day before) goes to a moderator on members' reports for this long instead of being listed; trap hits still list, and so do two long-standing members (0 disables)
 * @param voiceConfirmationsPerWrongListing a member whose supported listing a moderator found wrong keeps its new-sender voice only with this many confirmed reports per such listing ... (0: lost for good)
 * @param voiceMinAgeMillis ... and an account at least this old
 * @param voiceCooldownMillis ... and, after two such listings of young addresses (first looked up less than
 *        {@code tenureMinDays} before) within this time of each other, only once this long has passed since the
 *        second: a member farmed for months keeps no voice to list one new server after another while moderators
 *        remove them (0: no wait)
 * @param waitForFirstLookup members' reports alone do not list an address that no receiver has looked up yet; its first counted lookup judges them (deployments whose lookups are not counted, e.g. served only by rbldnsd mirrors, set false)
 * @param plausibleReportsPerLookup the most reports per lookup that spam draws from its recipients: a new sender without trap hits whose reporters (two or more) are too many for its lookups at this rate goes to a moderator instead of being listed (see ReportPlausibility; 0 disables)
 * @param implausibleChance ... "too many" means: as many or more would come from real recipients with at most this chance
 * @param minReportersToList an address that is not a new sender, without trap hits or a pinned reporter, is listed on members' reports only when at least this many members outside any marked coalition report it; with fewer it goes to a moderator (1: one member's word lists)
 * @param bulkSenderLookupsPerHour a new sender that accounts of a marked coalition reported is listed on their word, without waiting for a moderator, once a member outside any marked coalition (or a pinned one) reports it too and receivers look it up more often than this rate since its first counted lookup, as a test shows ({@code implausibleChance}: that many lookups would come at this rate with less than that chance; lookups count once per client network and interval): bulk mail from its first hours, not a small new server (0 disables)
 * @param snowshoeMinWitnesses of the {@code snowshoeMinListed} listed single addresses that list their block, at least this many
 *        must be listed on evidence beyond members' word (an operator trap hit, a pinned reporter, or a moderator's
 *        confirmation): members' reports alone, which a handful of farmed accounts can file on quiet addresses an attacker
 *        looked up itself, never list a whole network (0: any listing counts)
 * @param unprovenCoalitionMinReporters a new sender without trap hits reported by at least this many members, none of whom ever
 *        earned trust (no independent confirmation since their last strike: their confirmed reports were echoes of listings or
 *        pile-ons), more than its lookups explain by the reports-per-lookup test ({@code plausibleReportsPerLookup}), is a
 *        coalition's target as with {@code coalitionReportersPerLookup} when this many of them were created within
 *        {@code cohortMillis} of each other and none apart (0 disables)
 * @param contestHoldMillis a listing resting on members' word that someone asks to have delisted is
 *        contested: accounts created within {@code cohortMillis} of its reporters that are not long-standing
 *        count as on probation (their new-sender voice goes to a moderator) until a moderator decides the request,
 *        at most this long; a refused request or a trap hit lifts it at once (see ContestedListings; 0 disables)
 * @param contestMaxShare ... as long as requests come for at most this share of the listings made (both counted
 *        with a half-life of a week): where spammers ask for the delisting of much of what is listed, a request
 *        says nothing and is not held against anyone
 * @param maxTrackedAddresses when the engine holds state for more addresses than this (anyone can look up
 *        random addresses, and every answered lookup makes an entry), it forgets, at the next full hour of
 *        event time, the addresses that only a few lookups ever named, new senders included, instead of
 *        waiting for the weekly sweep (0: no limit)
 * @param moderatorClearedHoldMillis for this long after a moderator upheld a delisting request on a single address (found
 *        its listing wrong) or turned down a hold on it (found no spam where the engine doubted), new evidence that
 *        reaches its bar holds it for a moderator instead of listing it, trap hits and pinned reporters included:
 *        a big provider's new outbound address was otherwise listed again on the next honest report of its real
 *        spam, removed, and listed again, each time striking honest reporters; a moderator's refusal or
 *        confirmation ends it (0 disables)
 */
public record EngineConfig(double listThreshold,
                           long listingTtlMillis,
                           long minMemberAgeMillis,
                           double minReporterTrust,
                           List<IpBlock> allowRanges,
                           double newMemberTrust,
                           double trustGainPerConfirmation,
                           long confirmWindowMillis,
                           long fullWeightMillis,
                           long decayMillis,
                           double staleWeight,
                           long evidenceMaxAgeMillis,
                           double trapHitWeight,
                           double volumeLookupsPerThreshold,
                           long lookupHalfLifeMillis,
                           double minPositiveToClear,
                           int snowshoeMinListed,
                           long establishedAgeMillis,
                           int establishedEarningDays,
                           double probationShare,
                           double earlyShare,
                           int maxEarningsPerDay,
                           long precisionHalfLifeMillis,
                           int tenureMinDays,
                           double tenureMinLookupsPerDay,
                           double volumeGrowthPerDay,
                           double freshBarShare,
                           double busySenderFactor,
                           long newSenderMillis,
                           long cohortMillis,
                           long cohortSuspectMillis,
                           int coalitionMinReporters,
                           double coalitionReportersPerLookup,
                           long coalitionTargetHoldMillis,
                           int voiceConfirmationsPerWrongListing,
                           long voiceMinAgeMillis,
                           long voiceCooldownMillis,
                           boolean waitForFirstLookup,
                           double plausibleReportsPerLookup,
                           double implausibleChance,
                           int minReportersToList,
                           double bulkSenderLookupsPerHour,
                           int snowshoeMinWitnesses,
                           int unprovenCoalitionMinReporters,
                           long contestHoldMillis,
                           double contestMaxShare,
                           int maxTrackedAddresses,
                           long moderatorClearedHoldMillis) {

    public static final long HOUR = 3_600_000L;
    public static final long DAY = 24 * HOUR;

    public EngineConfig {
        allowRanges = List.copyOf(allowRanges);
        if (!(listThreshold > 0) || listingTtlMillis <= 0 || fullWeightMillis > decayMillis
                || decayMillis > evidenceMaxAgeMillis || !(volumeLookupsPerThreshold > 0) || lookupHalfLifeMillis <= 0
                || precisionHalfLifeMillis <= 0 || !(volumeGrowthPerDay >= 1) || probationShare < 0 || maxEarningsPerDay < 0
                || plausibleReportsPerLookup < 0 || minReportersToList < 1 || voiceCooldownMillis < 0 || bulkSenderLookupsPerHour < 0 || snowshoeMinWitnesses < 0 || unprovenCoalitionMinReporters < 0 || contestHoldMillis < 0 || !(contestMaxShare >= 0) || maxTrackedAddresses < 0 || moderatorClearedHoldMillis < 0 || !(implausibleChance >= 0 && implausibleChance < 1)) {
            throw new IllegalArgumentException("inconsistent engine configuration");
        }
    }

    /** The original five-setting form; every other tunable takes its default. */
    public EngineConfig(double listThreshold, long listingTtlMillis, long minMemberAgeMillis,
                        double minReporterTrust, List<IpBlock> allowRanges) {
        this(listThreshold, listingTtlMillis, minMemberAgeMillis, minReporterTrust, allowRanges, 0.05, 0.023, 48 * HOUR, 24 * HOUR, 48 * HOUR, 0.25, 7 * DAY, 1.0, 5_000, 7 * DAY, 1.0, 4, 21 * DAY, 3, 0.4, 0.5, 3, 14 * DAY, 7, 1, 2.0, 0.1, 2.0, 36 * HOUR, 7 * DAY, 30 * DAY, 10, 1.5, 30 * DAY, 20, 90 * DAY, 30 * DAY, true, 0.1, 0.01, 2, 15.0, 4, 5, 24 * HOUR, 0.05, 2_000_000, 30 * DAY);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(1.0, 36 * HOUR, 3 * DAY, 0.1, List.of());
    }

    public EngineConfig withAllowRanges(List<IpBlock> ranges) {
        return withValue("allowRanges", ranges);
    }

    public EngineConfig withListingTtlMillis(long ttl) {
        return withValue("listingTtlMillis", ttl);
    }

    public EngineConfig withListThreshold(double threshold) {
        return withValue("listThreshold", threshold);
    }

    public EngineConfig withTrapHitWeight(double weight) {
        return withValue("trapHitWeight", weight);
    }

    public EngineConfig withVolumeLookupsPerThreshold(double lookups) {
        return withValue("volumeLookupsPerThreshold", lookups);
    }

    public EngineConfig withSnowshoeMinListed(int minListed) {
        return withValue("snowshoeMinListed", minListed);
    }

    public EngineConfig withMinMemberAgeMillis(long age) {
        return withValue("minMemberAgeMillis", age);
    }

    public EngineConfig withMinReporterTrust(double trust) {
        return withValue("minReporterTrust", trust);
    }

    public EngineConfig withTenureMinDays(int days) {
        return withValue("tenureMinDays", days);
    }

    /** A copy with one component replaced (by its record name); the constructor's checks apply. */
    public EngineConfig withValue(String component, Object value) {
        java.lang.reflect.RecordComponent[] parts = EngineConfig.class.getRecordComponents();
        Object[] values = new Object[parts.length];
        Class<?>[] types = new Class<?>[parts.length];
        boolean found = false;
        try {
            for (int i = 0; i < parts.length; i++) {
                types[i] = parts[i].getType();
                values[i] = parts[i].getName().equals(component) ? value : parts[i].getAccessor().invoke(this);
                found |= parts[i].getName().equals(component);
            }
            if (!found) {
                throw new IllegalArgumentException("no engine setting named " + component);
            }
            return EngineConfig.class.getDeclaredConstructor(types).newInstance(values);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
