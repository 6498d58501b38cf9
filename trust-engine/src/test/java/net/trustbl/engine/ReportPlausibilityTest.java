package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import net.trustbl.engine.Decision.HeldForModeration;
import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static net.trustbl.engine.EngineFixture.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 4: a new sender whose reporters outnumber what its lookups can
 * explain goes to a moderator; one report, trap hits, pinned members and a sender with the mail
 * to explain its reports list as before.
 */
class ReportPlausibilityTest {

    /** Members 1-5, a month old, each with one confirmed report: the new-sender voice, not established. */
    private static EngineFixture voiced() {
        EngineFixture f = new EngineFixture();
        for (long m = 1; m <= 5; m++) {
            f.member(m, 30 + m, null, T0);
            f.confirmedOnce(m, T0 - DAY + m);
        }
        f.lookups(f.freshNet(), 5, T0); // the deployment counts lookups
        return f;
    }

    private static boolean held(EngineFixture f, String ip) {
        return of(f.decisions, HeldForModeration.class).stream().anyMatch(h -> h.ip().equals(IpBlock.parse(ip)));
    }

    @Test
    void poissonTailMatchesTheFormula() {
        assertEquals(1.0, ReportPlausibility.chanceOfAtLeast(0, 0.3), 1e-12);
        assertEquals(1 - Math.exp(-0.3), ReportPlausibility.chanceOfAtLeast(1, 0.3), 1e-12);
        assertEquals(1 - Math.exp(-0.1) * 1.1, ReportPlausibility.chanceOfAtLeast(2, 0.1), 1e-12);
        assertEquals(0.0, ReportPlausibility.chanceOfAtLeast(400, 0.1), 1e-12);
    }

    @Test
    void theLogSpaceTailAgreesWithTheDirectSumAndSurvivesLargeMeans() {
        for (int n : new int[] {21, 24, 31, 32, 60}) {
            assertEquals(ReportPlausibility.chanceOfAtLeast(n, 20), ReportPlausibility.chanceOfAtLeastLarge(n, 20), 1e-9, "n=" + n);
        }
        assertEquals(1.0, ReportPlausibility.chanceOfAtLeastLarge(700, 720), 1e-12, "at or below the mean: no test passes");
        assertEquals(1.0, ReportPlausibility.chanceOfAtLeastLarge(5, 20), 1e-12);
        double tail = ReportPlausibility.chanceOfAtLeastLarge(900, 720); // the direct sum underflows at this mean
        assertTrue(tail > 0 && tail < 1e-9, "900 lookups where 720 are expected: " + tail);
        assertEquals(0.0, ReportPlausibility.chanceOfAtLeastLarge(40, 0), 1e-12);
    }

    @Test
    void threeReportersOnAServerLookedUpTwiceGoToAModerator() {
        EngineFixture f = voiced();
        String quiet = f.freshNet();
        for (long m = 1; m <= 3; m++) {
            f.spam(m, quiet, T0 + HOUR); // before its first lookup: they wait for it
        }
        f.lookups(quiet, 2, T0 + 2 * HOUR);
        assertFalse(f.listed(quiet, T0 + 2 * HOUR), "3 reports where 2 lookups draw 0.2 on average (chance < 1 %)");
        assertTrue(held(f, quiet), "a moderator decides instead");
    }

    @Test
    void aSenderWithTheMailToExplainItsReportsIsListed() {
        EngineFixture f = voiced();
        String busy = f.freshNet();
        for (long m = 1; m <= 3; m++) {
            f.spam(m, busy, T0 + HOUR);
        }
        f.lookups(busy, 60, T0 + 2 * HOUR);
        assertTrue(f.listed(busy, T0 + 2 * HOUR), "60 lookups draw 6 reports on average: 3 are plausible");
    }

    @Test
    void oneReportIsNeverJudgedImplausible() {
        EngineFixture f = voiced();
        String fresh = f.freshNet();
        f.lookups(fresh, 1, T0 + HOUR);
        f.spam(1, fresh, T0 + 2 * HOUR);
        assertTrue(f.listed(fresh, T0 + 2 * HOUR), "spam's first report is as likely at its first lookup as later");
    }

    @Test
    void trapHitsAndPinnedMembersListAsBefore() {
        EngineFixture f = voiced();
        String trapped = f.freshNet();
        for (long m = 1; m <= 3; m++) {
            f.spam(m, trapped, T0 + HOUR);
        }
        f.lookups(trapped, 1, T0 + 2 * HOUR);
        assertFalse(f.listed(trapped, T0 + 2 * HOUR));
        f.trap(trapped, 1, T0 + 3 * HOUR);
        assertTrue(f.listed(trapped, T0 + 3 * HOUR), "a trap hit is evidence no member controls");

        f.member(20, 300, 0.6, T0);
        f.member(21, 300, 0.6, T0);
        String pinned = f.freshNet();
        f.spam(20, pinned, T0 + 4 * HOUR);
        f.spam(21, pinned, T0 + 4 * HOUR);
        f.lookups(pinned, 1, T0 + 5 * HOUR);
        assertTrue(f.listed(pinned, T0 + 5 * HOUR), "the operator's own people are no coalition");
    }

    @Test
    void zeroRateTurnsTheRuleOff() {
        EngineFixture f = new EngineFixture(EngineConfig.defaults().withValue("plausibleReportsPerLookup", 0.0));
        for (long m = 1; m <= 3; m++) {
            f.member(m, 30 + m, null, T0);
            f.confirmedOnce(m, T0 - DAY + m);
        }
        f.lookups(f.freshNet(), 5, T0);
        String quiet = f.freshNet();
        for (long m = 1; m <= 3; m++) {
            f.spam(m, quiet, T0 + HOUR);
        }
        f.lookups(quiet, 2, T0 + 2 * HOUR);
        assertTrue(f.listed(quiet, T0 + 2 * HOUR));
    }
}
