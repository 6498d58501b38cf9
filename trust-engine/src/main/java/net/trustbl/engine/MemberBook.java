package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * Members' trust: earned slowly by confirmed reports, halved by each strike, pinned by admins.
 * Why linear gain: a new member should need about twenty confirmations to become trusted, no
 * matter how fast they report, and a strike should make the next climb twice as slow.
 */
final class MemberBook {

    private static final double LN2 = Math.log(2);

    private final EngineConfig config;
    private final HashMap<Long, MemberState> members = new HashMap<>();
    /** Cohorts of reporters of wrong listings (suspect for a while). */
    final CohortWatch cohorts;

    MemberBook(EngineConfig config) {
        this.config = config;
        this.cohorts = new CohortWatch(config);
    }

    MemberState get(long id) {
        return members.get(id);
    }

    /** A member we never heard of is taken to have joined now (reports may arrive before the join event). */
    MemberState getOrJoin(long id, long atMillis) {
        MemberState m = members.get(id);
        if (m == null) {
            m = new MemberState(id, atMillis, config.newMemberTrust());
            members.put(id, m);
        }
        return m;
    }

    /** Joining twice keeps the earlier time (the account is as old as its first sign of life). */
    MemberState join(long id, long atMillis) {
        MemberState m = getOrJoin(id, atMillis);
        m.joinedAtMillis = Math.min(m.joinedAtMillis, atMillis);
        return m;
    }

    /** True when this member's report, filed at {@code reportMillis}, may weigh toward a listing. */
    boolean agedEnough(MemberState m, long reportMillis) {
        return reportMillis - m.joinedAtMillis >= config.minMemberAgeMillis();
    }

    /**
     * A member whose reports weigh nothing on any address, at any time, until it changes: never
     * confirmed, never earned, under the trust floor, not pinned (see {@link #reportTrust}: no
     * new-sender voice without a confirmed report, no floor without an earning day, and no echo
     * of a listing without a confirmed claim). Fresh accounts are, and a sybil flood is made of
     * them: their reports are filed but left out of what tallies walk (IpEvidence#weighable)
     * until the member {@link #wakes}.
     */
    boolean inert(MemberState m) {
        return !m.pinned() && m.confirmedReports == 0 && m.confirmedClaims == 0 && m.earningDays == 0
                && m.earnedTrust < config.minReporterTrust();
    }

    /**
     * After a change to {@code m}: if it has reports left out (so it was inert until now) and may
     * weigh something now, they go back among the weighable ones (each recent target once).
     */
    private void wakes(MemberState m) {
        if (!m.leftOut || inert(m)) {
            return;
        }
        m.leftOut = false;
        java.util.Set<IpEvidence> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < m.recentTargets.size(); i++) {
            IpEvidence ip = m.recentTargets.get(i);
            if (done.add(ip)) {
                ip.readmit(m);
            }
        }
    }

    /** The weight a member's report carries now (before evidence age and report strength). */
    double reportTrust(MemberState m, boolean agedEnoughAtReport) {
        return reportTrust(m, agedEnoughAtReport, false, 0);
    }

    /**
     * The weight of a member's report; on a new sender ({@code newSender}) every member old
     * enough to report counts at least the trust floor (SpamCop lists a new source on one report),
     * unless a listing its reports supported was ever found wrong.
     */
    double reportTrust(MemberState m, boolean agedEnoughAtReport, boolean newSender, long now) {
        if (m.suspended) {
            return 0;
        }
        if (m.pinned()) {
            // a pin counts whatever the account's age, but not below the trust floor
            return m.pinnedTrust < config.minReporterTrust() ? 0 : m.pinnedTrust;
        }
        if (!agedEnoughAtReport) {
            return 0;
        }
        if (newSender && newSenderVoice(m, now)) {
            double trust = Math.max(m.earnedTrust, config.minReporterTrust()) * m.precisionBound;
            return trust < config.minReporterTrust() && keepsTheFloor(m, now) ? config.minReporterTrust() : trust;
        }
        double trust = m.earnedTrust < config.minReporterTrust() ? 0 : m.earnedTrust * m.precisionBound;
        return trust < config.minReporterTrust() && seasoned(m, now) ? config.minReporterTrust() : trust;
    }

    /**
     * Whether a member's word counts at least the trust floor on any address: an account of
     * {@link #LONG_STANDING_AGE_MILLIS}, not suspect, whose claims are half as precise as the bound
     * asks (as {@link #keepsTheFloor}), that earned trust on a day of its own (an independent
     * confirmation) and was never struck. In a community that reports rarely, accurate members
     * earn slowly and stay under the floor for months (world-44-6: 376 accurate members of 90-130
     * days at trust 0.07-0.10, whose reports counted nothing once a spam source was past its first
     * 36 hours, while SpamCop's rule lists on one report). It counts as a witness: it stays on
     * probation until established, so such members together still add at most the probation
     * share of a bar, and an address with a sending history still needs two reporters
     * ({@link EngineConfig#minReportersToList()}). Accounts farmed for a sleeper attack are
     * younger than two months; an attacker patient enough to age its accounts that long can
     * already earn the three days that establish them.
     */
    private boolean seasoned(MemberState m, long now) {
        return m.strikes == 0 && m.wrongListings == 0 && m.earningDays >= 1 && keepsTheFloor(m, now);
    }

    /**
     * Whether this member's report, though it weighs nothing (under the trust floor), is new
     * evidence for a listing that stands: a confirmed claim, no strike, no wrong listing, claims
     * at least half as precise as the bound asks, not suspect of a coalition. Young honest
     * communities earn slowly (world-58-68: accurate members 40-54 days old at trust 0.05-0.10 kept
     * reporting a spam source that a long-standing member had listed, and the listing lapsed under
     * their reports while SpamCop's rule kept it). It lists nothing and keeps a listing at most a
     * week past the last report that weighed (ScoreRule); whoever keeps a wrong listing alive is
     * struck with its other reporters when the delisting is upheld.
     */
    boolean keepsAListing(MemberState m, long now) {
        // a claim of its own confirmed (the decayed count never returns to zero), not an echo of a
        // listing: echoing the public list confirms a report but proves nothing
        return !m.suspended && !m.pinned() && m.strikes == 0 && m.wrongListings == 0 && m.confirmedClaims > 0
                && m.precisionBound >= FLOOR_PRECISION && !cohorts.suspect(m, now);
    }

    /**
     * Whether this member's report counts at the trust floor on a new sender. It needs a confirmed
     * report (or an admin's pin), so that accounts that merely aged cannot list a new server by
     * themselves. A listing it supported that a moderator found wrong takes the voice, unless the
     * account is old ({@link EngineConfig#voiceMinAgeMillis()}) and has at least
     * {@link EngineConfig#voiceConfirmationsPerWrongListing()} confirmed reports for each such
     * listing: a long-standing reporter who errs now and then (a careless one reports newsletters it
     * subscribed to) keeps its early word on new spam, which SpamCop's rule counts too. (Counting
     * only independently confirmed claims cost recall in the sweep.)
     */
    boolean newSenderVoice(MemberState m, long now) {
        if (m.wrongListings == 0) {
            return m.confirmedReports > 0 || m.pinned();
        }
        return config.voiceConfirmationsPerWrongListing() > 0 && !m.pinned() && now - m.joinedAtMillis >= config.voiceMinAgeMillis()
                && m.confirmedReports >= (long) config.voiceConfirmationsPerWrongListing() * m.wrongListings
                && !waitsAfterWrongListings(m, now);
    }

    /**
     * Two wrong listings of young addresses within {@link EngineConfig#voiceCooldownMillis()} of each
     * other: the voice waits that long after the second. One slip (a careless member's report on a
     * new server its users get mail from) leaves it, as the sweep needs (world-83-166); an account
     * farmed for months that lists one new server after another loses it for a month.
     */
    private boolean waitsAfterWrongListings(MemberState m, long now) {
        long cooldown = config.voiceCooldownMillis();
        return m.previousWrongListingAt != Long.MIN_VALUE && m.lastWrongListingAt - m.previousWrongListingAt < cooldown
                && now - m.lastWrongListingAt < cooldown;
    }

    /**
     * Two months: longer than the sweep's farming attacks age their accounts (8 to 40 days), short
     * enough for a young honest community (the sweep draws some 45-60 days old) to count. 90 days
     * cost such worlds their near ties; seeds 1-5 on 12-04: 60 days equal or one world better each.
     */
    static final long LONG_STANDING_AGE_MILLIS = 60 * EngineConfig.DAY;

    /** See {@link #keepsTheFloor}: sweep seeds 1-5 on 12-04, one world better on seed 1, the others equal. */
    static final double FLOOR_PRECISION = 0.5;

    /**
     * Whether a member whose precision bound pulls its new-sender weight under the trust floor
     * still counts the floor there: an account of {@link #LONG_STANDING_AGE_MILLIS}, not suspect,
     * whose claims are at least half as precise as the bound asks ({@link #FLOOR_PRECISION}). A
     * long-standing careless member (it reports newsletters it subscribed to) keeps its early
     * word on new spam, which SpamCop's rule counts too (world-1-181: a bound of 0.73 put such a
     * report at 0.073, under the fresh bar of 0.1). Accounts farmed for weeks are younger.
     */
    private boolean keepsTheFloor(MemberState m, long now) {
        return m.precisionBound >= FLOOR_PRECISION && longStandingAccount(m, now);
    }

    /** An account of {@link #LONG_STANDING_AGE_MILLIS} or more that is not suspect of a coalition. */
    private boolean longStandingAccount(MemberState m, long now) {
        return now - m.joinedAtMillis >= LONG_STANDING_AGE_MILLIS && !cohorts.suspect(m, now);
    }

    /**
     * Whether a contest on a listing this member reported leaves its cohort's voice alone
     * (ContestedListings): an established account of {@link #CONTEST_EXEMPT_AGE_MILLIS}, not
     * suspect, with its new-sender voice. A spammer that asks for one in twenty-two of its
     * listings held a whole young community otherwise: honest members who joined in the same
     * fortnight are one cohort window from each other, and each request held them all for the
     * moderator's hours (12-07 red-team world `a6b-young-community-spam-requests-botnet`: spam
     * caught 39.7 % against scbl's 48.2 %, 51.0 % without the requests; at 45 days 50.7 %).
     */
    boolean outlastsAContest(MemberState m, long now) {
        return voicedSince(m, now, CONTEST_EXEMPT_AGE_MILLIS);
    }

    /**
     * Long-standing members: established, not suspect, with their new-sender voice and
     * {@link #LONG_STANDING_AGE_MILLIS} of age. Two of them are no coalition (Judgement).
     */
    boolean longStanding(MemberState m, long now) {
        return voicedSince(m, now, LONG_STANDING_AGE_MILLIS);
    }

    /**
     * Six weeks and a half, not the two months of {@link #LONG_STANDING_AGE_MILLIS}: the first
     * sight saves at most one lookup interval, and honest communities 45-59 days old lost near
     * ties to scbl there (world-29-89: a 58-day member with 48 confirmed reports). Sweep, every
     * check: seeds 12, 25 and 29 on 12-04 one world better each, the other 26 of seeds 1-29
     * equal, no world worse; one more new-server target listed in a world that already failed
     * (world-1-83: the sweep's new-server accounts are 8-54 days old when their attack starts,
     * and the oldest listed a server 0.6 hours before its coalition signature showed). Seeds
     * 30-33, drawn afterwards: the same shares at 45 and at 60 days.
     */
    static final long FIRST_SIGHT_AGE_MILLIS = 45 * EngineConfig.DAY;

    /**
     * The first sight's age ({@link #FIRST_SIGHT_AGE_MILLIS}, six weeks and a half), not the two
     * months of {@link #LONG_STANDING_AGE_MILLIS}: the farmed accounts that list one new server after
     * another while its request waits are younger (world-118-46's 29-42 days, the bundled
     * {@code new-server} attack's 14; the sweep draws 8-54); at 21 and 30 days `a6b` passed as
     * well, but an account a month old is one a patient attacker has.
     */
    static final long CONTEST_EXEMPT_AGE_MILLIS = FIRST_SIGHT_AGE_MILLIS;

    /**
     * Whether this member's spam report on an address nobody has looked up yet counts as that
     * address's first sight (its mail reached the member, so it is sending: a new sender from
     * now, with the fresh bar, rather than waiting for the first lookup count, which comes late
     * where few receivers query the list). Only established members that are not suspect, with
     * their new-sender voice and {@link #FIRST_SIGHT_AGE_MILLIS} of age, so that accounts farmed
     * for weeks cannot skip the wait that lets the coalition check see their pile of reports
     * first. Only the first spam report on an address is asked (TrustEngine).
     */
    boolean firstSight(MemberState m, long now) {
        return voicedSince(m, now, FIRST_SIGHT_AGE_MILLIS);
    }

    /** An established account at least {@code minAgeMillis} old, not suspect, with its new-sender voice. */
    private boolean voicedSince(MemberState m, long now, long minAgeMillis) {
        return now - m.joinedAtMillis >= minAgeMillis && !cohorts.suspect(m, now)
                && established(m, now) && newSenderVoice(m, now);
    }

    /**
     * Established members have an independent track record: an account at least a month old that
     * earned trust on several distinct days since its last strike, or a member an admin pinned.
     * All other members are on probation: together they can add only a capped weight to one
     * address, so a coalition of young or farmed accounts never lists on its own.
     */
    boolean established(MemberState m, long now) {
        if (m.pinned()) {
            return m.pinnedTrust >= config.minReporterTrust();
        }
        return now - m.joinedAtMillis >= config.establishedAgeMillis() && m.earningDays >= config.establishedEarningDays();
    }

    /** The member claims an unlisted address sends spam (its precision counts this claim). */
    void claimFiled(MemberState m, long atMillis) {
        decayClaims(m, atMillis);
        m.claims += 1;
        updatePrecision(m);
    }

    /** One of its claims was confirmed (by a listing, a trap hit or a moderator). */
    void claimConfirmed(MemberState m, long atMillis) {
        m.confirmedReports++;
        decayClaims(m, atMillis);
        m.confirmedClaims += 1;
        updatePrecision(m);
        wakes(m);
    }

    /** An echo of a visible listing: shown as confirmed, but it was never a claim. */
    void echoConfirmed(MemberState m) {
        m.confirmedReports++;
        wakes(m);
    }

    private void decayClaims(MemberState m, long atMillis) {
        if (m.claimsAt != 0 && atMillis > m.claimsAt) {
            double f = Math.exp(-LN2 * (atMillis - m.claimsAt) / config.precisionHalfLifeMillis());
            m.claims *= f;
            m.confirmedClaims *= f;
        }
        m.claimsAt = Math.max(m.claimsAt, atMillis);
    }

    /**
     * Precision with a prior of 3 confirmed claims in 4 (a new member is taken to be accurate):
     * from 25 % on it costs nothing (botnet addresses often vanish before anyone confirms them, and a careless forwarder's real spam reports are still worth having),
     * at 5 % or less it takes all the member's earned trust. A
     * member whose recent claims are never confirmed (a turncoat, a careless forwarder) thus
     * loses its weight within days, whatever its past.
     */
    private static void updatePrecision(MemberState m) {
        double p = (m.confirmedClaims + 3) / (m.claims + 4);
        m.precisionBound = Math.max(0, Math.min(1, (p - 0.05) / 0.2));
    }

    /**
     * The member earns trust for an independent confirmation: at most a few a day, so farming
     * is slow however much spam the farmer reports; each earning day adds to its track record.
     */
    void earn(MemberState m, long atMillis, Consumer<Decision> out) {
        if (m.suspended) {
            return;
        }
        long day = Math.floorDiv(atMillis, EngineConfig.DAY);
        if (day != m.lastEarnDay) {
            m.lastEarnDay = day;
            m.earnedThatDay = 0;
        }
        if (m.earnedThatDay >= config.maxEarningsPerDay()) {
            return;
        }
        if (m.earnedThatDay++ == 0) {
            m.earningDays++;
        }
        double gain = config.trustGainPerConfirmation() / (1L << Math.min(m.strikes, 62));
        double old = m.earnedTrust;
        m.earnedTrust = Math.min(1.0, old + gain);
        wakes(m); // an earning day: it is no longer inert
        if (!m.pinned() && m.earnedTrust != old) {
            out.accept(new Decision.TrustChanged(m.id, old, m.earnedTrust, "report confirmed", atMillis));
        }
    }

    /**
     * A report of this member was found wrong: half its trust goes, and later gains halve.
     *
     * @param youngAddress the wrong listing was of an address in its first days (see {@link #waitsAfterWrongListings})
     */
    void strike(MemberState m, IpBlock ip, boolean wrongListing, boolean youngAddress, long atMillis, Consumer<Decision> out) {
        m.strikes++;
        if (wrongListing) {
            m.wrongListings++;
        }
        if (youngAddress && atMillis >= m.lastWrongListingAt) {
            m.previousWrongListingAt = m.lastWrongListingAt;
            m.lastWrongListingAt = atMillis;
        }
        m.earningDays = 0; // its track record starts again
        if (m.pinned()) {
            return; // an admin's pin is the admin's call
        }
        double old = m.earnedTrust;
        m.earnedTrust = old / 2;
        out.accept(new Decision.TrustChanged(m.id, old, m.earnedTrust, "report on " + ip + " cleared (strike " + m.strikes + ")", atMillis));
    }

    void pin(MemberState m, Double trust, long atMillis, Consumer<Decision> out) {
        double old = m.shownTrust();
        m.pinnedTrust = trust == null ? Double.NaN : Math.max(0, Math.min(1, trust));
        wakes(m);
        double now = m.shownTrust();
        if (now != old) {
            out.accept(new Decision.TrustChanged(m.id, old, now, trust == null ? "pin removed" : "pinned by admin", atMillis));
        }
    }

    /** Every member, for a snapshot. */
    java.util.Collection<MemberState> all() {
        return members.values();
    }

    /** A member read back from a snapshot. */
    void restore(MemberState m) {
        members.put(m.id, m);
    }
}
