package net.trustbl.engine;

import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 4, *a coalition shows before a moderator acts*: accounts that never
 * earned trust (their confirmed reports were echoes of listings), opened together, that report a new
 * server one after another faster than its lookups explain, show a coalition's signature at five
 * reporters, though they stay under the 1.5 reports per lookup of the ten-reporter signature. Before
 * this rule such a cohort listed one new server after another until a moderator's first removal
 * (world-97-160: 16 of 29).
 */
class UnprovenCoalitionTest {

    private static final long MIN = 60_000L;

    /**
     * Members 1-6, opened within three days of each other 20 days ago. Each has a confirmed report:
     * an echo of an address the operator's traps listed (unproven) or, with {@code proven}, an early
     * report that the traps confirmed (which earns trust).
     */
    private static EngineFixture cohort(EngineConfig config, boolean proven) {
        EngineFixture f = new EngineFixture(config);
        for (long m = 1; m <= 6; m++) {
            f.member(m, 20 + m * 0.5, null, T0);
        }
        for (long m = 1; m <= 6; m++) {
            if (proven) {
                f.confirmedOnce(m, T0 - DAY + m * MIN);
            } else {
                String listed = f.freshNet();
                f.trap(listed, 2, T0 - DAY + m * MIN);
                f.spam(m, listed, T0 - DAY + m * MIN + 1); // agreeing with a listing anyone can read
            }
        }
        return f;
    }

    /**
     * A server in its first hours draws four lookups an hour; members 1-5 report it half an hour
     * apart, the first at its first lookup. Returns whether it is listed after the fifth report.
     */
    private static boolean listedAfterFiveReports(EngineFixture f, String server) {
        f.lookups(server, 1, T0);
        f.spam(1, server, T0 + 5 * MIN);
        assertTrue(f.listed(server, T0 + 5 * MIN), "one account with a confirmed report lists a new sender (rule 4's voice)");
        for (long m = 2; m <= 5; m++) {
            long at = T0 + (m - 1) * 30 * MIN;
            f.lookups(server, 2, at - MIN);
            f.spam(m, server, at);
        }
        return f.listed(server, T0 + 2 * HOUR + 1);
    }

    @Test
    void fiveUnprovenAccountsOnOneServerShowTheirCoalition() {
        EngineFixture f = cohort(EngineConfig.defaults(), false);
        String server = f.freshNet();
        assertFalse(listedAfterFiveReports(f, server),
                "five reports against nine lookups from accounts that never earned trust: the listing ends");
        String next = f.freshNet();
        f.lookups(next, 1, T0 + 3 * HOUR);
        f.spam(6, next, T0 + 3 * HOUR + MIN);
        assertFalse(f.listed(next, T0 + 3 * HOUR + MIN), "the cohort's sixth account no longer lists a new server on its own word");
    }

    @Test
    void accountsWithATrackRecordOrTheRuleOffKeepTheListing() {
        assertTrue(listedAfterFiveReports(cohort(EngineConfig.defaults(), true), "45.200.1.9"),
                "accounts that earned trust independently (farmers of real spam report it early and in groups) are judged by the"
                        + " ten-reporter signature only");
        EngineFixture off = cohort(EngineConfig.defaults().withValue("unprovenCoalitionMinReporters", 0), false);
        assertTrue(listedAfterFiveReports(off, "45.200.2.9"), "unprovenCoalitionMinReporters=0 turns the rule off");
    }

    @Test
    void reportsThatLookupsExplainAreNoSignature() {
        EngineFixture f = cohort(EngineConfig.defaults(), false);
        String source = f.freshNet();
        f.lookups(source, 30, T0 - MIN); // a spam run: thirty receivers' networks in its first interval
        assertTrue(listedAfterFiveReports(f, source), "five reports against 39 lookups are what a spam source's recipients file");
    }
}
