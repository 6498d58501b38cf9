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
        double positiveWeight;
        double trapWeight;
        int spamReports;
        int positiveReports;
        int trapHits;
        long firstEvidence;
        long lastEvidence;
        /** Latest time of evidence that weighs toward listing (renews a listing). */
        long lastSupport;

        double score() {
            return spamWeight + trapWeight - positiveWeight;
        }

        void reset() {
            spamWeight = positiveWeight = trapWeight = 0;
            spamReports = positiveReports = trapHits = 0;
            firstEvidence = lastEvidence = lastSupport = 0;
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
        if (r.superseded || r.outcome == ReportOutcome.CLEARED) {
            return 0;
        }
        double trust = members.reportTrust(r.member, r.agedEnough);
        if (trust <= 0 || (ip.struckMembers.length > 0 && ip.struck(r.member.id))) {
            return 0;
        }
        return trust * r.strength * ageWeight(now - r.atMillis);
    }

    void tally(IpEvidence ip, long now, Tally t) {
        t.reset();
        var reports = ip.reports;
        for (int i = 0, n = reports.size(); i < n; i++) {
            ReportEntry r = reports.get(i);
            if (now - r.atMillis > config.evidenceMaxAgeMillis()) {
                continue;
            }
            double w = weight(ip, r, now);
            if (w <= 0) {
                continue;
            }
            if (r.spam) {
                t.spamWeight += w;
                t.spamReports++;
                t.lastSupport = Math.max(t.lastSupport, r.atMillis);
            } else {
                t.positiveWeight += w;
                t.positiveReports++;
            }
            see(t, r.atMillis);
        }
        for (int i = 0; i < ip.trapSize; i++) {
            long at = ip.trapTimes[i];
            if (now - at > config.evidenceMaxAgeMillis()) {
                continue;
            }
            t.trapWeight += config.trapHitWeight() * ip.trapCounts[i] * ageWeight(now - at);
            t.trapHits += ip.trapCounts[i];
            t.lastSupport = Math.max(t.lastSupport, at);
            see(t, at);
        }
    }

    private static void see(Tally t, long at) {
        if (t.firstEvidence == 0 || at < t.firstEvidence) {
            t.firstEvidence = at;
        }
        t.lastEvidence = Math.max(t.lastEvidence, at);
    }
}
