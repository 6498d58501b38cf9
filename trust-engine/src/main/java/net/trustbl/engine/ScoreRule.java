package net.trustbl.engine;

/**
 * Adds up the evidence on one address, SpamCop-like: fresh evidence weighs most (full weight for
 * a day, falling to a quarter at two days), evidence older than a week is ignored. Each report
 * weighs its reporter's trust times the report's strength; a reporter counts once per address
 * and verdict (its latest report). Results go into a reusable {@link Tally} (no allocation).
 */
final class ScoreRule {

    /** The sums of one evaluation; reused, read right after {@link #tally}. */
    static final class Tally {
        double spamWeight;
        /** Spam weight of members on probation before the cap (see MemberBook#established). */
        double probationWeight;
        /** Positive weight of established members (what may dispute a listing). */
        double positiveEstablished;
        double trapWeight;
        /** Hits of the operator's own trap network (independent of every member). */
        int operatorTrapHits;
        /** Hits from the trap feeds of members an admin pinned (the operator's own people). */
        int pinnedTrapHits;
        int spamReports;
        int positiveReports;
        int trapHits;
        long firstEvidence;
        long lastEvidence;
        /** Latest time of evidence that weighs toward listing (renews a listing). */
        long lastSupport;
        /**
         * Latest spam report that weighed nothing (its member is under the trust floor) but whose
         * member may keep a listing alive (MemberBook#keepsAListing): it renews a standing listing
         * while reports that weigh are within the evidence window, and lists nothing. Looked for on
         * listed addresses only (0 elsewhere), so tallies of the rest pay nothing for it.
         */
        long lastEcho;

        /**
         * Spam weight of members on probation whose reports never listed an address wrongly, on a new sender (see
         * IpEvidence#newSender): not capped, since new spam sources are where early reports from
         * anyone old enough to report matter most (SpamCop lists them on one report).
         */
        double newSenderWeight;

        /**
         * Spam weight, on a new sender, of members who would have their new-sender voice were
         * they not suspect of a coalition (see CohortWatch). It counts under the probation cap
         * (it is part of {@link #probationWeight}); when it would reach the bar uncapped, the
         * address goes to a moderator rather than nowhere (Judgement): farmed accounts report
         * real spam too, and often first.
         */
        double suspectVoiceWeight;

        /** Spam reporters counted who are not (yet) suspect of a coalition (see CohortWatch). */
        int unsuspectedReporters;
        /** Spam reporters (pin aside) that never earned trust independently: no track record of their own. */
        int unprovenReporters;

        /** Spam reporters counted whose trust an admin pinned (the operator's own people). */
        int pinnedReporters;

        /** Set by {@link #tally}: what members on probation may add at most, as a share of the bar. */
        private double probationShare;

        /**
         * The report sums before the address's last report, kept by a tally asked for them: the
         * score that report found when it was filed (TrustEngine#onReport appends it and judges
         * at once, so one pass serves both).
         */
        private double spamBeforeLast;
        private double newSenderBeforeLast;
        private double probationBeforeLast;

        /** The score before the last report (see {@link ScoreRule#tally(IpEvidence, long, Tally, boolean)}); the sums in the same order as {@link #score}. */
        double scoreBeforeLast(double bar) {
            return spamBeforeLast + trapWeight + newSenderBeforeLast + Math.min(probationBeforeLast, probationShare * bar);
        }

        /**
         * The evidence toward listing against {@code bar}. Members on probation (young, or without
         * a track record of their own) together add at most a share of the bar: however many
         * accounts a coalition opens, it cannot list an address with a sending history on its
         * own. Positive reports do not subtract: vouching costs nothing to forge, so it may only
         * ask a moderator (a dispute).
         */
        /**
         * Trap hits that are more than one member's word: the operator's traps, and the feeds of
         * members an admin pinned (who list at once with their reports too). Any other member's
         * feed lifts none of the holds on members' word (Judgement#listOrHold).
         */
        int independentTrapHits() {
            return operatorTrapHits + pinnedTrapHits;
        }

        double score(double bar) {
            return spamWeight + trapWeight + newSenderWeight + Math.min(probationWeight, probationShare * bar);
        }

        /**
         * The score with every member on probation under the cap, new sender or not: what a
         * listing rests on when it confirms reports for earning (co-listing a new address with
         * one's friends earns nothing).
         */
        double cappedScore(double bar) {
            return spamWeight + trapWeight + Math.min(probationWeight + newSenderWeight, probationShare * bar);
        }

        /** The score if suspect members kept their new-sender voice: what a moderator is asked to weigh. */
        double scoreWithSuspectVoices(double bar) {
            return spamWeight + trapWeight + newSenderWeight + suspectVoiceWeight
                    + Math.min(probationWeight - suspectVoiceWeight, probationShare * bar);
        }

        // per-member scratch for members' trap evidence (used only where members submitted trap hits)
        private MemberState[] slotMember = new MemberState[4];
        private double[] slotTrap = new double[4];
        private double[] slotReport = new double[4];
        private double[] slotCap = new double[4];
        private int[] slotHits = new int[4];
        private long[] slotFirst = new long[4];
        private long[] slotLast = new long[4];
        private boolean[] slotEstablished = new boolean[4];
        private int slots;

        void reset() {
            spamWeight = probationWeight = newSenderWeight = suspectVoiceWeight = positiveEstablished = trapWeight = 0;
            spamReports = positiveReports = trapHits = operatorTrapHits = pinnedTrapHits = unsuspectedReporters = unprovenReporters = pinnedReporters = 0;
            firstEvidence = lastEvidence = lastSupport = lastEcho = 0;
            java.util.Arrays.fill(slotMember, 0, slots, null);
            slots = 0;
        }

        private int slot(MemberState m) {
            for (int i = 0; i < slots; i++) {
                if (slotMember[i] == m) {
                    return i;
                }
            }
            if (slots == slotMember.length) {
                int n = slots * 2;
                slotMember = java.util.Arrays.copyOf(slotMember, n);
                slotTrap = java.util.Arrays.copyOf(slotTrap, n);
                slotReport = java.util.Arrays.copyOf(slotReport, n);
                slotCap = java.util.Arrays.copyOf(slotCap, n);
                slotHits = java.util.Arrays.copyOf(slotHits, n);
                slotFirst = java.util.Arrays.copyOf(slotFirst, n);
                slotLast = java.util.Arrays.copyOf(slotLast, n);
                slotEstablished = java.util.Arrays.copyOf(slotEstablished, n);
            }
            int i = slots++;
            slotMember[i] = m;
            slotTrap[i] = slotReport[i] = slotCap[i] = 0;
            slotHits[i] = 0;
            slotFirst[i] = slotLast[i] = 0;
            return i;
        }
    }

    private final EngineConfig config;
    private final MemberBook members;

    ScoreRule(EngineConfig config, MemberBook members) {
        this.config = config;
        this.members = members;
    }

    /** Share of its weight that evidence of this age keeps. */
    double ageWeight(long ageMillis) {
        if (ageMillis <= config.fullWeightMillis()) {
            return 1.0;
        }
        if (ageMillis > config.evidenceMaxAgeMillis()) {
            return 0;
        }
        if (ageMillis >= config.decayMillis()) {
            return config.staleWeight();
        }
        double span = config.decayMillis() - config.fullWeightMillis();
        double f = (ageMillis - config.fullWeightMillis()) / span;
        return 1.0 - f * (1.0 - config.staleWeight());
    }

    /** The weight one report carries now; 0 when it no longer counts. */
    double weight(IpEvidence ip, ReportEntry r, long now) {
        return weight(ip, r, now, newSender(ip, now));
    }

    /** As above, with the address's new-sender state already known (a tally asks once per address). */
    private double weight(IpEvidence ip, ReportEntry r, long now, boolean newSender) {
        if (r.superseded || r.outcome == ReportOutcome.CLEARED) {
            return 0;
        }
        double trust = members.reportTrust(r.member, r.agedEnough, newSender, now);
        if (trust <= 0 || (ip.struckMembers.length > 0 && ip.struck(r.member.id))) {
            return 0;
        }
        return trust * r.strength * ageWeight(now - r.atMillis);
    }

    /**
     * Spam reporters whose reports count on {@code ip} now and who are long-standing members
     * (MemberBook#longStanding: 60 days old, established, not suspect). Asked only where the
     * plausibility test would hold an address (Judgement), not on every tally.
     */
    int longStandingReporters(IpEvidence ip, long now) {
        boolean newSender = newSender(ip, now);
        int n = 0;
        var reports = ip.weighable; // the rest weigh nothing
        for (int i = 0, size = reports.size(); i < size; i++) {
            ReportEntry r = reports.get(i);
            if (r.spam && now - r.atMillis <= config.evidenceMaxAgeMillis() && weight(ip, r, now, newSender) > 0
                    && members.longStanding(r.member, now)) {
                n++;
            }
        }
        return n;
    }

    /**
     * A report that weighs nothing but may renew a standing listing (Tally#lastEcho). Its member
     * was never struck (MemberBook#keepsAListing), so on this address either.
     */
    private boolean echoes(ReportEntry r, long now) {
        return !r.superseded && r.outcome != ReportOutcome.CLEARED && members.keepsAListing(r.member, now);
    }

    /** See IpEvidence#newSender: an address first looked up lately, without a clean record. */
    boolean newSender(IpEvidence ip, long now) {
        return ip.newSender(now, config.newSenderMillis(), config.tenureMinDays());
    }

    void tally(IpEvidence ip, long now, Tally t) {
        tally(ip, now, t, false);
    }

    /** The tally; with {@code beforeLast}, it also keeps the sums before the address's last report (Tally#scoreBeforeLast). */
    void tally(IpEvidence ip, long now, Tally t, boolean beforeLast) {
        t.reset();
        boolean newSender = newSender(ip, now);
        boolean listed = ip.listed(); // only a standing listing is renewed by a report that weighs nothing
        boolean memberTraps = ip.trapMembers != null;
        // superseded reports and inert members' reports weigh nothing (IpEvidence#weighable)
        var reports = ip.weighable;
        int last = -1;
        boolean lastLeftOut = false;
        if (beforeLast) {
            // the address's last report, unless it was left out: then it adds nothing, and the
            // sums before it are the sums
            ReportEntry lastFiled = ip.current.isEmpty() ? null : ip.current.get(ip.current.size() - 1);
            last = !reports.isEmpty() && reports.get(reports.size() - 1) == lastFiled ? reports.size() - 1 : -1;
            lastLeftOut = last < 0;
        }
        for (int i = 0, n = reports.size(); i < n; i++) {
            ReportEntry r = reports.get(i);
            if (i == last) {
                t.spamBeforeLast = t.spamWeight;
                t.newSenderBeforeLast = t.newSenderWeight;
                t.probationBeforeLast = t.probationWeight;
            }
            if (now - r.atMillis > config.evidenceMaxAgeMillis()) {
                continue;
            }
            double w = weight(ip, r, now, newSender);
            if (w <= 0) {
                if (listed && r.spam && r.agedEnough && r.atMillis > t.lastEcho && echoes(r, now)) {
                    t.lastEcho = r.atMillis;
                }
                continue;
            }
            // a member of a coalition caught listing wrongly lately counts as on probation (CohortWatch)
            boolean suspect = members.cohorts.suspect(r.member, now);
            boolean established = !suspect && members.established(r.member, now);
            if (r.spam) {
                if (established) {
                    t.spamWeight += w;
                } else if (newSender && members.newSenderVoice(r.member, now)) {
                    if (suspect) {
                        t.probationWeight += w;
                        t.suspectVoiceWeight += w;
                    } else {
                        t.newSenderWeight += w;
                    }
                } else {
                    t.probationWeight += w;
                }
                t.spamReports++;
                if (r.member.pinned()) {
                    t.pinnedReporters++;
                } else if (!suspect) {
                    t.unsuspectedReporters++;
                }
                if (!r.member.pinned() && r.member.earningDays == 0) {
                    t.unprovenReporters++;
                }
                t.lastSupport = Math.max(t.lastSupport, r.atMillis);
                if (memberTraps) {
                    int k = t.slot(r.member);
                    t.slotReport[k] = Math.max(t.slotReport[k], w);
                }
            } else {
                if (established) {
                    t.positiveEstablished += w;
                }
                t.positiveReports++;
            }
            see(t, r.atMillis);
        }
        if (lastLeftOut) {
            t.spamBeforeLast = t.spamWeight;
            t.newSenderBeforeLast = t.newSenderWeight;
            t.probationBeforeLast = t.probationWeight;
        }
        tallyTraps(ip, now, t, memberTraps);
        if (memberTraps) {
            addMemberTraps(t);
        }
        t.probationShare = config.probationShare();
    }

    /**
     * The trap hits on one address: the operator's own traps at full weight; a member's gateway's
     * hits into that member's slot, capped at its trust by {@link #addMemberTraps}.
     */
    private void tallyTraps(IpEvidence ip, long now, Tally t, boolean memberTraps) {
        for (int i = 0; i < ip.trapSize; i++) {
            long at = ip.trapTimes[i];
            if (now - at > config.evidenceMaxAgeMillis()) {
                continue;
            }
            double w = config.trapHitWeight() * ip.trapCounts[i] * ageWeight(now - at);
            MemberState by = memberTraps ? ip.trapMembers[i] : null;
            if (by == null) { // the operator's trap network: full weight
                t.trapWeight += w;
                t.trapHits += ip.trapCounts[i];
                t.operatorTrapHits += ip.trapCounts[i];
                t.lastSupport = Math.max(t.lastSupport, at);
                see(t, at);
                continue;
            }
            double trust = members.reportTrust(by, members.agedEnough(by, at));
            if (trust <= 0 || (ip.struckMembers.length > 0 && ip.struck(by.id))) {
                continue;
            }
            if (by.pinned()) {
                t.pinnedTrapHits += ip.trapCounts[i];
            }
            int k = t.slot(by);
            t.slotTrap[k] += w;
            t.slotCap[k] = trust * config.trapHitWeight();
            t.slotEstablished[k] = members.established(by, now);
            t.slotHits[k] += ip.trapCounts[i];
            t.slotFirst[k] = t.slotFirst[k] == 0 ? at : Math.min(t.slotFirst[k], at);
            t.slotLast[k] = Math.max(t.slotLast[k], at);
        }
    }

    /**
     * A member's trap hits on one address weigh at most its trust times the trap weight in all,
     * however many it sends, and a member counts once per address: with a spam report of its own
     * there, only what the traps add beyond that report counts. So a member below trust 1.0
     * cannot list an address alone through its trap feed.
     */
    private static void addMemberTraps(Tally t) {
        for (int k = 0; k < t.slots; k++) {
            if (t.slotHits[k] == 0) {
                continue;
            }
            double capped = Math.min(t.slotTrap[k], t.slotCap[k]);
            if (capped <= 0) {
                continue;
            }
            // a member's trap feed is that member's word: on probation it shares the probation cap
            double added = Math.max(0, capped - t.slotReport[k]);
            if (t.slotEstablished[k]) {
                t.trapWeight += added;
            } else {
                t.probationWeight += added;
            }
            t.trapHits += t.slotHits[k];
            t.lastSupport = Math.max(t.lastSupport, t.slotLast[k]);
            see(t, t.slotFirst[k]);
            see(t, t.slotLast[k]);
        }
    }

    private static void see(Tally t, long at) {
        if (t.firstEvidence == 0 || at < t.firstEvidence) {
            t.firstEvidence = at;
        }
        t.lastEvidence = Math.max(t.lastEvidence, at);
    }
}
