package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The engine's judgement of one address after new evidence: list it, hold it for a moderator,
 * change its return code, renew or end its listing, and escalate snowshoe networks to their /24.
 * {@link TrustEngine} turns events into evidence and calls this; the rules are in the README
 * ("How listing works").
 */
final class Judgement {

    /** Sums of trusts like 10 x 0.1 must reach 1.0. */
    private static final double EPSILON = 1e-9;
    /** A coalition's other targets: new senders its accounts reported this long before its signature showed. */
    private static final long COALITION_RECENT_MILLIS = EngineConfig.DAY;
    private static final int CODE_REPORTS = AddressRules.CODE_REPORTS;
    private static final int CODE_TRAPS = AddressRules.CODE_TRAPS;
    /** {@link #coalitionTarget}'s answers: reporters out of proportion to lookups, or unproven accounts more than lookups explain. */
    private static final int SIGNATURE = 1;
    private static final int UNPROVEN_SIGNATURE = 2;

    private final EngineConfig config;
    private final EvidenceBook book;
    private final ScoreRule scores;
    private final VolumeRule volume;
    private final ExpiryClock clock;
    private final AddressRules addresses;
    private final Explainer explainer;
    private final Confirmations confirmations;
    private final MemberBook members;
    private final ScoreRule.Tally tally = new ScoreRule.Tally();
    /**
     * The address whose sums {@link #tally} still holds as of {@link #talliedAt}: an evaluation
     * that ended in a hold or in nothing, after which nothing its tally reads has changed
     * ({@link #standingTally}); null when there is none.
     */
    private IpEvidence talliedIp;
    private long talliedAt;
    /** A listing's own sums when it is counted in its block (list() is reached from paths whose tally is another address's). */
    private final ScoreRule.Tally witnessTally = new ScoreRule.Tally();
    private final ReportPlausibility plausibility;
    /** Listings made and delisting requests: whether a request still means something (snapshot state). */
    final ContestedListings contests;

    Judgement(EngineConfig config, EvidenceBook book, ScoreRule scores, VolumeRule volume, ExpiryClock clock,
              AddressRules addresses, Explainer explainer, Confirmations confirmations, MemberBook members) {
        this.members = members;
        this.contests = new ContestedListings(config);
        this.config = config;
        this.plausibility = new ReportPlausibility(config);
        this.book = book;
        this.scores = scores;
        this.volume = volume;
        this.clock = clock;
        this.addresses = addresses;
        this.explainer = explainer;
        this.confirmations = confirmations;
    }

    /**
     * The sums of {@code ip} at {@code t} as the last evaluation in this event left them, or null.
     * TrustedSenders asks whether a trusted address has spam evidence right after a report on it
     * was judged: a coalition's target with a clean record took a second pass over all its
     * reporters for every report (a quarter to a half of the engine's time in the sweep's
     * slowest worlds). Valid only within the event ({@link #forgetTally}, called as each begins).
     */
    ScoreRule.Tally standingTally(IpEvidence ip, long t) {
        return ip == talliedIp && t == talliedAt ? tally : null;
    }

    /** A new event begins: whatever it changes, the sums of the last one are not to be reused. */
    void forgetTally() {
        talliedIp = null;
    }

    /** Re-judges an address after new evidence at time t: list, hold, change code, renew or clear. */
    void evaluate(IpEvidence ip, long t, Consumer<Decision> out) {
        evaluate(ip, t, out, null);
    }

    /**
     * As above; {@code claim}, when given, is the spam report just appended to the address's
     * reports, and the first tally also sets whether it came early (the score it found was under
     * the early share of the bar), before any listing made here confirms it. The caller passes it
     * only where nothing changed the sums between the report's filing and this tally but the
     * report itself (TrustEngine#onReport).
     */
    void evaluate(IpEvidence ip, long t, Consumer<Decision> out, ReportEntry claim) {
        talliedIp = null;
        if (AddressRules.isNeverListed(ip.ip) || addresses.allowed(ip.ip)) {
            return;
        }
        scores.tally(ip, t, tally, claim != null);
        if (claim != null) {
            double bar = volume.threshold(ip, ip.lookups(t, config.lookupHalfLifeMillis()), t);
            claim.early = tally.scoreBeforeLast(bar) < config.earlyShare() * bar;
        }
        // the operator's traps are nobody's word: they lift the marks of a signature shown here
        boolean marksLifted = tally.operatorTrapHits > 0 && members.cohorts.signatureProvedSpam(ip.ip);
        double lookups = ip.lookups(t, config.lookupHalfLifeMillis());
        int signature = coalitionTarget(ip, lookups, t);
        if (signature != 0 && markCoalition(ip, t, out, signature == SIGNATURE ? config.coalitionMinReporters()
                : config.unprovenCoalitionMinReporters())) {
            scores.tally(ip, t, tally);
            double bar = volume.threshold(ip, lookups, t);
            if (ip.listed() && !ip.escalated && !ip.volumeWaived && tally.score(bar) + EPSILON < bar) {
                unlist(ip, t, out, "removed: more members reported this new sender than its lookups can explain,"
                        + " with no spam-trap hit, most of them accounts created together: the mark of a coalition,"
                        + " whose accounts now count as on probation");
                return;
            }
        }
        // the sums stand after a hold or nothing only where neither a trap hit lifted coalition
        // marks nor a coalition was looked for (which marks accounts and tallies again); a trap hit
        // that lifted none leaves them standing (a big sender's trapped spam: the allow zone asked
        // again at each of its reports and lookups, a pass over its reporters each time)
        boolean marksUnchanged = !marksLifted && signature == 0;
        double threshold = volume.threshold(ip, lookups, t);
        double score = tally.score(threshold) + EPSILON; // sums of trusts like 10 x 0.1 must reach 1.0
        if (ip.listed()) {
            judgeListed(ip, t, threshold, out);
            return;
        }
        if (score >= threshold && tally.lastSupport + config.listingTtlMillis() > t) {
            if (!listOrHold(ip, t, score, threshold, lookups, out)) {
                return;
            }
        } else if (score >= config.listThreshold() && score < threshold) {
            holdOnce(ip, t, out, () -> String.format(Locale.ROOT,
                    "high-volume sender (%d recent lookups): score %.2f passes %.2f but not the volume bar %.2f",
                    Math.round(lookups), score, config.listThreshold(), threshold));
        } else if (tally.suspectVoiceWeight > 0 && tally.scoreWithSuspectVoices(threshold) + EPSILON >= threshold
                && tally.lastSupport + config.listingTtlMillis() > t) {
            // accounts of a marked coalition no longer list a new sender, but what they report is
            // often real spam (farming accounts report fresh spam first): a moderator decides,
            // unless receivers already look it up like bulk mail, which no small new server draws
            if (bulkNewSender(ip, lookups, t) && tally.unsuspectedReporters + tally.pinnedReporters > 0) {
                if (!heldOnModeratorsWord(ip, t, score, threshold, out)) {
                    list(ip, CODE_REPORTS, tally.lastSupport, t, out, "listed: a new sender looked up like bulk mail ("
                            + Math.round(lookups) + " recent lookups from receivers' networks) reported by " + tally.spamReports
                            + " members, some of them accounts of a marked coalition");
                    return;
                }
            } else {
                // reasons of frequent holds are built by hand, as listings' are (see #listReason):
                // a farmed coalition's cover reports raise thousands of them in a week
                holdOnce(ip, t, out, () -> "a new sender reported by " + tally.spamReports + (tally.spamReports == 1 ? " member" : " members")
                        + ", some of them accounts of a marked coalition whose reports no longer list on their own (or created"
                        + " close to the reporters of a listing whose delisting was asked for): a moderator decides");
            }
        } else {
            ip.held = false;
            ip.heldAfterClearing = false;
        }
        if (marksUnchanged) {
            talliedIp = ip; // held, or nothing to do: the sums still stand (a hold changes nothing they read)
            talliedAt = t;
        }
    }

    /**
     * The evidence on an unlisted address reached its bar: list it, or hold it for a moderator
     * where a rule says members' word alone is not enough (README "How listing works", rules 4, 6, 7).
     * Returns true when it held (or waits for the first lookup), false when it listed.
     */
    private boolean listOrHold(IpEvidence ip, long t, double score, double threshold, double lookups, Consumer<Decision> out) {
        // only the operator's own traps (and its pinned people's) are evidence apart from members'
        // word: a member's trap feed is that member's word (TrustEngine#onTrap); lifting these holds for it let one
        // established member list 20,000 known senders a day through POST /api/v1/trap-hits, or one
        // hit from a member on probation free a coalition's held target (audit of 12-07)
        if (config.waitForFirstLookup() && ip.firstTrafficAt == Long.MIN_VALUE && tally.independentTrapHits() == 0 && tally.pinnedReporters == 0
                && ip.ip.isSingleAddress() && book.lookupsCounted(t)) {
            // no receiver has asked about it yet: members' reports wait for its first lookup,
            // which judges them again (onTraffic), coalition signature first. A coalition
            // otherwise lists a quiet new server before anyone could see the pattern. Members
            // an admin pinned (the operator's own people) are no coalition: they list at once.
            return true;
        }
        if (t < ip.coalitionTargetUntil && !ip.volumeWaived && tally.independentTrapHits() == 0
                && stillLooksLikeATarget(ip, lookups, t)
                && scores.longStandingReporters(ip, t) < config.minReportersToList()) {
            // two long-standing members are no coalition and rarely slip on the same server:
            // farmers report real spam early, and the honest reports that follow should not wait
            // for the moderator (world-15-94: 5-18 hours on spam sources scbl listed at once)
            holdOnce(ip, t, out, () -> "a coalition of accounts created together reported this address lately:"
                    + " members' reports on it go to a moderator (two long-standing members' reports list it)");
            return true;
        }
        int cleanDays = ip.volumeWaived ? 0 : ip.cleanDays(t);
        if (cleanDays >= config.tenureMinDays()) {
            // an address with a long clean record is not listed automatically: members' word
            // alone cannot do it (a trap hit on a quiet address wipes the record first), and a
            // busy shared sender always goes to a moderator
            holdOnce(ip, t, out, () -> "clean history (" + cleanDays
                    + " days of lookups without a listing or trap hit): a moderator decides; score "
                    + Explainer.twoDecimals(score) + " reached " + Explainer.twoDecimals(threshold));
            return true;
        }
        boolean membersAlone = tally.independentTrapHits() == 0 && tally.pinnedReporters == 0 && !ip.volumeWaived;
        boolean newSender = scores.newSender(ip, t);
        if (membersAlone && !newSender && ip.firstTrafficAt != Long.MIN_VALUE
                && tally.unsuspectedReporters < config.minReportersToList()) {
            // one member's word lists a sender receivers have looked up for days only through a
            // moderator: a careless member's slip at trust 1.0 (or one farmed account) would
            // otherwise list such a server, while real spam draws more reporters or trap hits.
            // A new sender's first report still lists (rule 4); so does one on an address never
            // looked up where lookups are not counted
            holdOnce(ip, t, out, () -> "reported by " + tally.unsuspectedReporters + (tally.unsuspectedReporters == 1 ? " member" : " members")
                    + " outside any coalition, no spam-trap hit: an address receivers have looked up for a while is listed on fewer than "
                    + config.minReportersToList() + " members' word only by a moderator");
            return true;
        }
        if (membersAlone && newSender && plausibility.implausible(tally.spamReports, lookups)
                && scores.longStandingReporters(ip, t) < config.minReportersToList()) {
            // established members too: accounts farmed for weeks become established, and the
            // sweep lists more new servers when their summed trust is exempt. Two long-standing
            // members are no farmed coalition: what they report lists while farmers' early
            // reports on the same spam pile up ahead of its lookups (world-1-50's botnets waited
            // 2-3 hours for them; seeds 1-5 on 12-04: one world better on seed 3, none worse)
            holdOnce(ip, t, out, () -> "a new sender without spam-trap hits reported by " + tally.spamReports + " members, more than its "
                    + Math.round(lookups) + " recent lookups can explain: a moderator decides");
            return true;
        }
        if (heldOnModeratorsWord(ip, t, score, threshold, out)) {
            return true;
        }
        list(ip, tally.trapHits > 0 ? CODE_TRAPS : CODE_REPORTS, tally.lastSupport, t, out, listReason(score, threshold));
        return false;
    }

    /**
     * Holds an address a moderator found listed wrongly within {@link EngineConfig#moderatorClearedHoldMillis()}
     * where every other rule would list it; returns whether it did (README rule 10).
     */
    private boolean heldOnModeratorsWord(IpEvidence ip, long t, double score, double threshold, Consumer<Decision> out) {
        if (ip.clearedByModeratorAt == 0 || t - ip.clearedByModeratorAt >= config.moderatorClearedHoldMillis() || ip.volumeWaived) {
            return false;
        }
        // every other rule would list it, but a moderator found its last listing wrong: a big
        // provider's new outbound address (a fresh bar, real spam from compromised accounts,
        // trap hits and honest reports) was otherwise listed again within hours, removed, and
        // listed again, each time striking the honest reporters of its real spam
        // (ops/bench/redteam-worlds/a3-*). The moderator who knows the sender now sees the new
        // evidence first, trap hits and pinned members' reports included: the operator's own
        // people report a big provider's real spam like anyone, and letting them list it
        // again cost as much (a3c: spam caught 50.1 -> 43.5 %)
        boolean heldBefore = ip.held;
        holdOnce(ip, t, out, () -> String.format(Locale.ROOT, "a moderator found no spam here %.1f days ago (removed a listing"
                + " or turned down a hold): new evidence on it goes to a moderator first; score %s reached %s",
                (t - ip.clearedByModeratorAt) / (double) EngineConfig.DAY, Explainer.twoDecimals(score), Explainer.twoDecimals(threshold)));
        // turned down, this hold counts as the wrong listing it replaces (TrustEngine#onHoldDismissed)
        ip.heldAfterClearing |= !heldBefore;
        return true;
    }

    /**
     * A moderator found a held address's evidence right: it is listed whatever the caps and bars
     * held it back (they stand in for a moderator, who has now looked). The listing runs from
     * the latest supporting evidence, and at least half a listing's lifetime from the decision.
     */
    void listConfirmedHold(IpEvidence ip, long t, Consumer<Decision> out) {
        if (ip.listed() || AddressRules.isNeverListed(ip.ip) || addresses.allowed(ip.ip)) {
            return;
        }
        scores.tally(ip, t, tally);
        if (tally.lastSupport == 0) {
            return; // nothing left that speaks for a listing (evidence aged out or was cleared)
        }
        long support = Math.max(tally.lastSupport, t - config.listingTtlMillis() / 2);
        list(ip, tally.trapHits > 0 ? CODE_TRAPS : CODE_REPORTS, support, t, out,
                "listed: a moderator confirmed the evidence that held it (" + tally.spamReports + " spam reports, "
                        + tally.trapHits + " trap hits)");
    }

    /** A listed address: earn its independent confirmations, take vouching to a moderator, keep its code and expiry current. */
    private void judgeListed(IpEvidence ip, long t, double threshold, Consumer<Decision> out) {
        if (!ip.escalated) {
            confirmations.earnIndependent(ip, t, out, tally.cappedScore(threshold) + EPSILON, threshold);
            if (tally.positiveEstablished >= config.minPositiveToClear() && !ip.disputed) {
                // vouching never clears a listing (nor strikes its reporters) by itself
                ip.disputed = true;
                out.accept(new Decision.HeldForModeration(ip.ip, "disputed: established members vouch for this listed sender ("
                        + tally.positiveReports + " positive reports); a moderator decides", explainer.explain(ip, t), t));
            }
        }
        if (!ip.escalated) {
            noteBlockWitness(ip, t, tally, out);
            int code = tally.trapHits > 0 ? CODE_TRAPS : CODE_REPORTS;
            if (code != ip.returnCode) {
                Decision.Change change = code > ip.returnCode ? Decision.Change.RAISED : Decision.Change.LOWERED;
                ip.returnCode = code;
                out.accept(new Decision.ListingChanged(ip.ip, change, code, explainer.explain(ip, t), t,
                        code == CODE_TRAPS ? "spam-trap hits" : "no recent spam-trap hits"));
            }
        }
        // a report that weighs nothing renews only while reports that weigh are in the evidence window
        renew(ip, tally.lastSupport > 0 ? Math.max(tally.lastSupport, tally.lastEcho) : 0);
    }

    /**
     * Whether receivers look this new sender up like bulk mail: more than
     * {@link EngineConfig#bulkSenderLookupsPerHour()} counted lookups an hour since its first one
     * (the first interval counts as a whole hour), shown by a test: a sender drawing that rate
     * would show as many with less than {@link EngineConfig#implausibleChance()} (a Poisson count).
     * Lookups count once per client network and
     * interval, so a few networks cannot fake it; a small new server mailing a few receivers
     * stays far below (README "How listing works", rule 4).
     */
    private boolean bulkNewSender(IpEvidence ip, double lookups, long t) {
        double rate = config.bulkSenderLookupsPerHour();
        // a new sender has a first lookup and no clean record (IpEvidence.newSender)
        if (!(rate > 0) || !ip.ip.isSingleAddress() || !scores.newSender(ip, t)) {
            return false;
        }
        double hours = Math.max(1.0, (t - ip.firstTrafficAt) / (double) EngineConfig.HOUR);
        // a test, not a ratio: a new server drawing 16 lookups an hour shows 22 in some first hour
        // (world-101-90 listed 4 new servers so); as many lookups as it drew would come at the bulk
        // rate with less than implausibleChance only from a sender that draws more
        return ReportPlausibility.chanceOfAtLeastLarge((int) Math.floor(lookups + 1e-9), rate * hours) < config.implausibleChance();
    }

    /** Sends the address to a moderator once (until a change of evidence lets it go again). */
    private void holdOnce(IpEvidence ip, long t, Consumer<Decision> out, java.util.function.Supplier<String> reason) {
        if (!ip.held) {
            ip.held = true;
            ip.heldAfterClearing = false;
            out.accept(new Decision.HeldForModeration(ip.ip, reason.get(), explainer.explain(ip, t), t));
        }
    }

    /**
     * The mark of a coalition on a new sender: no spam-trap hit, and more members reported it
     * than its recipients could have. Returns 0 (none), {@link #SIGNATURE} or {@link #UNPROVEN_SIGNATURE}.
     * <ul>
     * <li>{@link EngineConfig#coalitionMinReporters()} reporters, more than
     * {@link EngineConfig#coalitionReportersPerLookup()} per recent lookup: a spam source's
     * recipients look it up many times per report, a coalition aiming at a server in its first
     * days files many reports from the first lookup on;</li>
     * <li>{@link EngineConfig#unprovenCoalitionMinReporters()} reporters, none of whom ever earned
     * trust (their confirmed reports were echoes of listings or pile-ons), more than the lookups
     * explain by the reports-per-lookup test: accounts without a track record of their own that
     * pile onto one new server an hour apart stay under 1.5 per lookup (world-97-160: 16 of 29
     * new servers listed in the 8 hours before the first moderator's removal), while farmers that
     * report real spam early have earned trust, so their pile-ups on spam are not taken for this.</li>
     * </ul>
     */
    private int coalitionTarget(IpEvidence ip, double lookups, long t) {
        // a moderator who confirmed the address has looked: its reporters are no coalition there.
        // Marked accounts' pile-ups count once per address, so that lifting one mark does not free
        // a coalition that showed its signature again while marked
        if (tally.independentTrapHits() > 0 || ip.volumeWaived
                || (tally.unsuspectedReporters == 0 && ip.coalitionTargetUntil > t) || !scores.newSender(ip, t)) {
            return 0;
        }
        int reporters = config.coalitionMinReporters();
        if (reporters > 0 && tally.spamReports >= reporters && tally.spamReports > config.coalitionReportersPerLookup() * lookups) {
            return SIGNATURE;
        }
        int unproven = config.unprovenCoalitionMinReporters();
        if (unproven > 0 && tally.spamReports >= unproven && tally.unprovenReporters == tally.spamReports
                && plausibility.implausible(tally.spamReports, lookups)) {
            return UNPROVEN_SIGNATURE;
        }
        return 0;
    }

    /**
     * A coalition's target is held on members' reports while it still looks like one: its spam
     * reports in the evidence window, the coalition's included whatever they weigh now, are more
     * than its lookups explain (the reports-per-lookup test of {@link ReportPlausibility}). A
     * quiet server stays so, since nobody mails through it; a spam source's lookups soon explain
     * the pile, and then members' reports on it count as on any address. Otherwise a spammer's
     * burned accounts, piled onto each of its new sources at the first lookup, would keep members'
     * reports off them for {@link EngineConfig#coalitionTargetHoldMillis()}
     * (CoalitionTargetShieldTest). The test, not the signature's 1.5 per lookup: an attacker can
     * look its target up itself, once per network and interval, and ten reports would need only
     * seven such lookups to lift the hold at that rate, but 42 to pass this test.
     */
    private boolean stillLooksLikeATarget(IpEvidence ip, double lookups, long t) {
        int reports = 0;
        for (int i = 0, n = ip.current.size(); i < n; i++) {
            ReportEntry r = ip.current.get(i);
            if (r.spam && t - r.atMillis <= config.evidenceMaxAgeMillis()) {
                reports++;
            }
        }
        return config.plausibleReportsPerLookup() <= 0 ? reports > config.coalitionReportersPerLookup() * lookups
                : plausibility.implausible(reports, lookups);
    }

    /**
     * Someone asked for the delisting of {@code ip}, listed: unless its listing was asked about
     * before, requests are common (see {@link ContestedListings}) or the listing rests on more than
     * members' word, the accounts created near its reporters without six weeks and a half of track
     * record (MemberBook#outlastsAContest) wait for the moderator's answer.
     */
    void delistingRequested(IpEvidence ip, long t) {
        if (!contests.requestHolds(ip, t) || ip.blockWitness) {
            return;
        }
        java.util.List<MemberState> reporters = weighingSpamReporters(ip, t);
        reporters.removeIf(m -> members.outlastsAContest(m, t));
        members.cohorts.contested(reporters, ip.ip, t);
    }

    /** The members whose spam reports on {@code ip} weigh now, pinned members aside (one entry each: earlier reports are superseded). */
    private java.util.List<MemberState> weighingSpamReporters(IpEvidence ip, long t) {
        java.util.List<MemberState> reporters = new java.util.ArrayList<>();
        for (ReportEntry r : ip.weighable) { // the rest weigh nothing
            if (r.spam && t - r.atMillis <= config.evidenceMaxAgeMillis() && !r.member.pinned()
                    && scores.weight(ip, r, t) > 0) {
                reporters.add(r.member);
            }
        }
        return reporters;
    }

    /**
     * Marks the coalition on {@code ip}: when at least {@code minGroup} (the signature's reporter count)
     * of its reporters (those already marked included) were created within
     * {@link EngineConfig#cohortMillis()} of each other and no reporter was created apart from
     * them, every reporter is marked. Honest recipients of a spam source were not created
     * together, so they are not marked with it. Returns whether it marked.
     */
    private boolean markCoalition(IpEvidence ip, long t, Consumer<Decision> out, int minGroup) {
        // accounts already marked stay in: they are the coalition, and leaving them out would
        // open gaps in its creation times that look like reporters of another time
        java.util.List<MemberState> reporters = weighingSpamReporters(ip, t);
        reporters.sort(java.util.Comparator.comparingLong(m -> m.joinedAtMillis));
        int bestFrom = 0;
        int bestSize = 0;
        for (int from = 0, to = 0; to < reporters.size(); to++) {
            while (reporters.get(to).joinedAtMillis - reporters.get(from).joinedAtMillis > config.cohortMillis()) {
                from++;
            }
            if (to - from + 1 > bestSize) {
                bestSize = to - from + 1;
                bestFrom = from;
            }
        }
        if (bestSize < minGroup || hasIndependentReporter(reporters, bestFrom, bestSize)) {
            return false;
        }
        // no reporter of another time: every reporter is linked to the group by creation times
        members.cohorts.coalitionSeen(reporters, ip.ip, t);
        protectCoalitionTargets(ip, reporters, t, out);
        return true;
    }

    /**
     * A coalition's targets are victims: members' reports on them (an honest member's mistake
     * about a server in its first days included) go to a moderator for
     * {@link EngineConfig#coalitionTargetHoldMillis()} instead of listing them; trap hits still
     * list. That holds for the address the signature showed on and for the new senders without
     * trap hits that the coalition's accounts reported in the day before. Such an address that is
     * already listed stays listed and goes to a moderator where other evidence would not carry
     * it: farming accounts report fresh spam early, so these are mostly spam sources (ending
     * them cost spam caught against scbl in world-14-199), and a wrongly listed server's
     * operator asks for delisting as always.
     */
    private void protectCoalitionTargets(IpEvidence ip, java.util.List<MemberState> coalition, long t, Consumer<Decision> out) {
        if (config.coalitionTargetHoldMillis() <= 0) {
            return;
        }
        long until = t + config.coalitionTargetHoldMillis();
        ip.coalitionTargetUntil = Math.max(ip.coalitionTargetUntil, until);
        for (MemberState m : coalition) {
            for (int i = 0; i < m.recentTargets.size(); i++) {
                IpEvidence other = m.recentTargets.get(i);
                if (other != ip && other.trapSize == 0 && t - m.recentTargetTime(i) <= COALITION_RECENT_MILLIS
                        && scores.newSender(other, t) && other.coalitionTargetUntil < until) {
                    other.coalitionTargetUntil = until;
                    if (other.listed() && !other.escalated && !other.volumeWaived) {
                        scores.tally(other, t, tally);
                        double bar = volume.threshold(other, other.lookups(t, config.lookupHalfLifeMillis()), t);
                        if (tally.score(bar) + EPSILON < bar) {
                            holdOnce(other, t, out, () -> "listed on the reports of accounts that have since shown the mark of a coalition"
                                    + " on another address: a moderator decides");
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether a reporter outside the group was created more than a cohort window away from every
     * member of it: a recipient of its own, so the address draws reports beyond one coalition.
     */
    private boolean hasIndependentReporter(java.util.List<MemberState> sorted, int groupFrom, int groupSize) {
        long lo = sorted.get(groupFrom).joinedAtMillis;
        long hi = sorted.get(groupFrom + groupSize - 1).joinedAtMillis;
        for (int i = groupFrom - 1; i >= 0 && lo - sorted.get(i).joinedAtMillis <= config.cohortMillis(); i--) {
            lo = sorted.get(i).joinedAtMillis; // linked to the group through accounts created in between
        }
        for (int i = groupFrom + groupSize; i < sorted.size() && sorted.get(i).joinedAtMillis - hi <= config.cohortMillis(); i++) {
            hi = sorted.get(i).joinedAtMillis;
        }
        return sorted.get(0).joinedAtMillis < lo || sorted.get(sorted.size() - 1).joinedAtMillis > hi;
    }

    /** Built by hand: String.format costs microseconds and listings are made on the hot path. */
    private String listReason(double score, double threshold) {
        return "listed: score " + Explainer.twoDecimals(score) + " reached " + Explainer.twoDecimals(threshold) + " (" + tally.spamReports
                + " spam reports, " + tally.trapHits + " trap hits, " + tally.positiveReports + " positive reports)";
    }


    private void list(IpEvidence ip, int code, long lastSupport, long t, Consumer<Decision> out, String reason) {
        ip.returnCode = code;
        ip.listedSinceMillis = t;
        ip.expiresAtMillis = lastSupport + config.listingTtlMillis();
        ip.held = false;
        ip.heldAfterClearing = false;
        ip.contested = false; // a new listing: its first delisting request counts (ContestedListings)
        clock.schedule(ip, ip.expiresAtMillis);
        book.markListed(ip);
        contests.listingMade(t);
        out.accept(new Decision.ListingChanged(ip.ip, Decision.Change.CREATED, code, explainer.explain(ip, t), t, reason));
        if (!ip.escalated) {
            ip.clearHistory();
            confirmations.confirmPending(ip, t, out, false);
            double bar = volume.threshold(ip, ip.lookups(t, config.lookupHalfLifeMillis()), t);
            confirmations.earnIndependent(ip, t, out, tally.cappedScore(bar) + EPSILON, bar);
            escalateIfSnowshoe(ip, t, out);
        }
    }

    private void renew(IpEvidence ip, long lastSupport) {
        long expires = lastSupport + config.listingTtlMillis();
        if (expires > ip.expiresAtMillis) {
            ip.expiresAtMillis = expires; // its clock entry, due earlier, moves when due (ExpiryClock#pollDue)
            if (config.snowshoeMinListed() > 0 && ip.ip.isSingleAddress()) {
                IpEvidence block = book.get(snowshoeBlock(ip.ip));
                if (block != null && block.listed() && block.escalated && block.expiresAtMillis < expires) {
                    block.expiresAtMillis = expires;
                }
            }
        }
    }

    void unlist(IpEvidence ip, long t, Consumer<Decision> out, String reason) {
        if (!ip.listed()) {
            return;
        }
        ip.returnCode = 0;
        ip.listedSinceMillis = 0;
        ip.expiresAtMillis = 0;
        ip.volumeWaived = false;
        ip.disputed = false;
        ip.held = false; // a hold about the listing (a coalition's earlier target) ends with it
        ip.heldAfterClearing = false;
        book.markUnlisted(ip);
        if (ip.escalated) {
            ip.escalated = false;
        } else if (config.snowshoeMinListed() > 0 && ip.ip.isSingleAddress()) {
            book.setBlockWitness(ip, snowshoeBlock(ip.ip), false);
            book.countListedIn(snowshoeBlock(ip.ip), -1);
        }
        out.accept(new Decision.ListingChanged(ip.ip, Decision.Change.REMOVED, 0, explainer.explain(ip, t), t, reason));
    }

    /**
     * Snowshoe spam spreads over many addresses of one network, each too quiet to list on its
     * own: once enough single addresses of a /24 (/64) are listed, the whole block is, provided
     * enough of them rest on more than members' word (see {@link #witnessesForBlock}). Called
     * when a single address is listed: it is counted in its block.
     */
    private void escalateIfSnowshoe(IpEvidence ip, long t, Consumer<Decision> out) {
        if (config.snowshoeMinListed() <= 0 || !ip.ip.isSingleAddress()) {
            return;
        }
        IpBlock blockIp = snowshoeBlock(ip.ip);
        book.countListedIn(blockIp, 1);
        scores.tally(ip, t, witnessTally);
        book.setBlockWitness(ip, blockIp, witnessesForBlock(ip, witnessTally));
        escalateBlock(ip, blockIp, t, out);
    }

    /**
     * A listed single address whose evidence now rests on more than members' word (a trap hit
     * came in, say) becomes its block's witness, which may list the block. {@code sums} is its
     * current tally.
     */
    private void noteBlockWitness(IpEvidence ip, long t, ScoreRule.Tally sums, Consumer<Decision> out) {
        if (config.snowshoeMinListed() <= 0 || ip.blockWitness || !ip.ip.isSingleAddress() || !witnessesForBlock(ip, sums)) {
            return;
        }
        IpBlock blockIp = snowshoeBlock(ip.ip);
        book.setBlockWitness(ip, blockIp, true);
        escalateBlock(ip, blockIp, t, out);
    }

    /**
     * Whether a listed single address's evidence goes beyond members' word: an operator trap hit,
     * a pinned reporter, or a moderator who confirmed it. Members' reports alone do not make a
     * block witness, however many and however old their accounts: an attacker can look up quiet
     * addresses of someone else's network itself (a lookup makes an address a new sender) and have
     * one farmed account each list four of them (or two accounts farmed for two months each, which
     * pass the reports-per-lookup test as long-standing members), which would list the whole
     * network, servers with a clean record included.
     */
    private static boolean witnessesForBlock(IpEvidence ip, ScoreRule.Tally sums) {
        return ip.volumeWaived || sums.operatorTrapHits > 0 || sums.pinnedReporters > 0;
    }

    private void escalateBlock(IpEvidence ip, IpBlock blockIp, long t, Consumer<Decision> out) {
        int count = book.countListedIn(blockIp, 0);
        if (count < config.snowshoeMinListed() || book.witnessesIn(blockIp) < config.snowshoeMinWitnesses()
                || addresses.overlapsAllowRange(blockIp)) {
            return;
        }
        IpEvidence block = book.getOrCreate(blockIp);
        if (block.escalationVetoed) {
            return;
        }
        if (block.listed()) {
            if (block.escalated && block.expiresAtMillis < ip.expiresAtMillis) {
                block.expiresAtMillis = ip.expiresAtMillis; // its clock entry moves when due
            }
            return;
        }
        block.escalated = true;
        block.escalatedFrom = count;
        list(block, ip.returnCode, ip.expiresAtMillis - config.listingTtlMillis(), t, out,
                "listed: " + count + " addresses of this network are listed (snowshoe spam)");
    }

    static IpBlock snowshoeBlock(IpBlock single) {
        return single.widen(single.isV6() ? 64 : 24);
    }

    /** The evidence on this address was wrong: end the listing, clear the reports, strike each reporter once. */
    void clearSpamEvidence(IpEvidence ip, long t, Consumer<Decision> out, String reason) {
        if (ip.escalated) {
            ip.escalationVetoed = true;
        }
        unlist(ip, t, out, reason);
        confirmations.strikeReporters(ip, t, out);
        ip.clearTraps();
        ip.held = false;
        ip.heldAfterClearing = false;
        ip.volumeWaived = false;
    }

    /** A reporter's weight changed outside the normal flow (suspension, pin): re-judge what it reported. */
    void rejudgeTargets(MemberState m, long t, Consumer<Decision> out, String reason) {
        for (int i = 0; i < m.recentTargets.size(); i++) {
            IpEvidence ip = m.recentTargets.get(i);
            if (ip.listed() && !ip.escalated && !ip.volumeWaived) {
                scores.tally(ip, t, tally);
                double threshold = volume.threshold(ip, ip.lookups(t, config.lookupHalfLifeMillis()), t);
                if (tally.score(threshold) + EPSILON < threshold) {
                    unlist(ip, t, out, "removed: " + reason);
                    continue;
                }
            }
            evaluate(ip, t, out);
        }
    }
}
