package net.trustbl.engine;

/**
 * Whether an address's recipients could have filed the reports it has. Spam draws reports in
 * proportion to the mail it sends, and so to its lookups: across the worlds the simulator draws,
 * at most about one report per ten lookups. Accounts aiming at a server in its first days file
 * theirs whatever it sends, so they soon outnumber what its lookups can explain. A new sender
 * whose reporters (two or more) are that many is held for a moderator instead of listed: under a
 * Poisson model of honest reports at {@link EngineConfig#plausibleReportsPerLookup()} per lookup,
 * as many or more would come with less than {@link EngineConfig#implausibleChance()}.
 *
 * <p>The rate is a fixed bound, not learned from the network: a learned rate is what a farming
 * coalition that reports every fresh spam source early would inflate. A single report is never
 * judged here (spam's first report is as likely at its first lookup as later), so one voice on a
 * new sender lists as before; what this stops is a group of accounts listing a quiet server.
 */
final class ReportPlausibility {

    /** Fewer reporters than this are never implausible. */
    static final int MIN_REPORTERS = 2;

    private final EngineConfig config;

    ReportPlausibility(EngineConfig config) {
        this.config = config;
    }

    /** True when {@code reporters} distinct reporters are too many for {@code lookups} recent lookups. */
    boolean implausible(int reporters, double lookups) {
        if (config.plausibleReportsPerLookup() <= 0 || reporters < MIN_REPORTERS) {
            return false;
        }
        // lookups arrive in interval counts, often after the first reports: at least one is assumed
        double mean = config.plausibleReportsPerLookup() * Math.max(1.0, lookups);
        return chanceOfAtLeast(reporters, mean) < config.implausibleChance();
    }

    /**
     * P(N >= n) for N ~ Poisson(mean), summed from n upwards in log space so that means of
     * thousands (a day's lookups of bulk mail) neither underflow nor take n steps.
     */
    static double chanceOfAtLeastLarge(int n, double mean) {
        if (n <= 0) {
            return 1;
        }
        if (!(mean > 0)) {
            return 0;
        }
        if (n <= mean) {
            return 1; // at or below the mean: far above any chance worth testing for
        }
        double term = Math.exp(-mean + n * Math.log(mean) - logFactorial(n));
        double sum = 0;
        for (int k = n; term > sum * 1e-12 && k < n + 100_000; k++) {
            sum += term;
            term *= mean / (k + 1);
        }
        return Math.min(1, sum);
    }

    /** ln(n!) by Stirling's series (exact enough for n >= 1: error under 1e-8). */
    static double logFactorial(int n) {
        if (n < 2) {
            return 0;
        }
        double x = n;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }

    /** P(N >= n) for N ~ Poisson(mean). */
    static double chanceOfAtLeast(int n, double mean) {
        double term = Math.exp(-mean);
        double below = 0;
        for (int k = 0; k < n; k++) {
            below += term;
            term *= mean / (k + 1);
        }
        return Math.max(0, 1 - below);
    }
}
