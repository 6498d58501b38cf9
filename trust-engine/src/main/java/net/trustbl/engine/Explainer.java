package net.trustbl.engine;

/** Builds the {@link Explanation} of an address: the numbers and one line in plain words. */
final class Explainer {

    private final EngineConfig config;
    private final ScoreRule scores;
    private final VolumeRule volume;
    private final AddressRules addresses;
    /** Its own tally, so that explaining never disturbs a judgement in progress. */
    private final ScoreRule.Tally tally = new ScoreRule.Tally();

    /** The end of a listing's reason, the same for every listing. */
    private final String lapses;

    Explainer(EngineConfig config, ScoreRule scores, VolumeRule volume, AddressRules addresses) {
        this.config = config;
        this.lapses = "; lapses " + config.listingTtlMillis() / EngineConfig.HOUR + " h after the last new evidence";
        this.scores = scores;
        this.volume = volume;
        this.addresses = addresses;
    }

    Explanation explain(IpEvidence ip, long at) {
        scores.tally(ip, at, tally);
        double lookups = ip.lookups(at, config.lookupHalfLifeMillis());
        boolean listed = ip.listed() && ip.expiresAtMillis > at;
        double threshold = volume.volumeThreshold(ip, lookups);
        double bar = volume.threshold(ip, lookups, at);
        double score = tally.score(bar);
        String reason;
        if (listed && ip.escalated) {
            reason = "listed: " + ip.escalatedFrom + " addresses of this network were listed at once (snowshoe spam)";
        } else if (listed) {
            reason = "listed: trust-weighted evidence reached " + twoDecimals(bar)
                    + (ip.returnCode == AddressRules.CODE_TRAPS ? ", including spam-trap hits" : "") + lapses;
        } else if (addresses.allowed(ip.ip)) {
            reason = "never listed: operator allow range";
        } else if (ip.held && ip.cleanDays(at) >= config.tenureMinDays() && !ip.volumeWaived) {
            reason = "held for a moderator: clean history of " + ip.cleanDays(at)
                    + " days of lookups; members' reports alone do not list it (score " + twoDecimals(score) + ")";
        } else if (ip.held && score >= config.listThreshold() - 1e-9 && score < threshold) {
            reason = "held for a moderator: high lookup volume, score " + twoDecimals(score)
                    + " is below the volume threshold " + twoDecimals(threshold);
        } else if (ip.held) {
            // the other holds (a coalition's mark, reports its lookups cannot explain, one voice on
            // a known sender): the moderation queue has the rule's own words; the public page must
            // not name one that did not apply
            reason = "held for a moderator: the evidence (score " + twoDecimals(score) + ") does not list it by the rules"
                    + " alone; a moderator decides (README \"How listing works\", rule 4)";
        } else {
            reason = "not listed: score " + twoDecimals(score) + " is below " + twoDecimals(bar);
        }
        return new Explanation(score, threshold, tally.spamReports, tally.positiveReports,
                tally.trapHits, Math.round(lookups), tally.firstEvidence, tally.lastEvidence,
                listed ? ip.listedSinceMillis : 0, listed ? ip.expiresAtMillis : 0, listed ? ip.returnCode : 0, ip.held,
                reason, bar);
    }

    /** 127.0.0.2: listed by protocol, not by evidence; listedSince and expiresAt 0 mean "always". */
    Explanation testPoint() {
        return new Explanation(config.listThreshold(), config.listThreshold(),
                0, 0, 0, 0, 0, 0, 0, 0, AddressRules.CODE_REPORTS, false, "always listed: RFC 5782 test point",
                config.listThreshold());
    }

    Explanation neverListed(String reason) {
        return new Explanation(0, config.listThreshold(), 0, 0, 0, 0, 0, 0, 0, 0, 0, false, reason, config.listThreshold());
    }

    /**
     * Built by hand: String.format costs microseconds and listings are made on the hot path. The
     * common values (0.00 to 99.99: scores and bars) are made once and kept: in worlds where
     * botnet addresses are listed and lapse by the tens of thousands, formatting them was a tenth
     * of the engine's time (JFR, sweep world-143-150).
     */
    static String twoDecimals(double v) {
        long cents = Math.round(v * 100);
        if (cents >= 0 && cents < CACHED_CENTS) {
            String kept = CENTS[(int) cents];
            if (kept == null) {
                // a race only writes an equal string twice (a String is safely published)
                kept = formatCents(cents);
                CENTS[(int) cents] = kept;
            }
            return kept;
        }
        return formatCents(cents);
    }

    private static final int CACHED_CENTS = 10_000;
    private static final String[] CENTS = new String[CACHED_CENTS];

    private static String formatCents(long cents) {
        long abs = Math.abs(cents);
        return (cents < 0 ? "-" : "") + abs / 100 + "." + (abs % 100 < 10 ? "0" : "") + abs % 100;
    }
}
