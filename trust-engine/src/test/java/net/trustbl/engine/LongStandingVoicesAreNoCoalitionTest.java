package net.trustbl.engine;

import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 4 (*reports must fit the mail*): more reporters on a new
 * sender than its lookups can explain go to a moderator, but two long-standing members among
 * them (60 days old, established, not suspect) are no farmed coalition, and their word lists
 * it. Farmed accounts report fresh spam early and in groups, ahead of its lookups; the honest
 * reports that follow should not wait for the lookups to catch up.
 */
class LongStandingVoicesAreNoCoalitionTest {

    private static final long MINUTE = 60_000L;

    /** Members 30 and 31 long-standing (100 days, established), 40-43 voiced but 30 days old. */
    private static EngineFixture world() {
        EngineFixture f = new EngineFixture();
        f.member(30, 100, null, T0);
        f.member(31, 100, null, T0);
        for (long young = 40; young <= 43; young++) {
            f.member(young, 30, null, T0);
            f.confirmedOnce(young, T0);
        }
        return f;
    }

    @Test
    void twoLongStandingReportersListDespiteAnEarlyPile() {
        EngineFixture f = world();
        long t = f.earnTrack(T0, 3, 30, 31);
        String source = f.freshNet();
        f.lookups(f.freshNet(), 1, t); // lookups are being counted: reports wait for an address's first
        f.spam(40, source, t + MINUTE);
        f.spam(41, source, t + 2 * MINUTE);
        f.lookups(source, 1, t + 3 * MINUTE);
        assertFalse(f.listed(source, t + 3 * MINUTE), "two young reporters ahead of one lookup: implausible, held");
        f.spam(30, source, t + 4 * MINUTE);
        assertFalse(f.listed(source, t + 4 * MINUTE), "one long-standing voice does not lift the test");
        f.spam(31, source, t + 5 * MINUTE);
        assertTrue(f.listed(source, t + 5 * MINUTE), "two long-standing voices are no coalition");
    }

    @Test
    void youngReportersAloneStayHeld() {
        EngineFixture f = world();
        long t = f.earnTrack(T0, 3, 30, 31);
        String source = f.freshNet();
        f.lookups(f.freshNet(), 1, t);
        for (long young = 40; young <= 43; young++) {
            f.spam(young, source, t + young * MINUTE);
        }
        f.lookups(source, 1, t + 45 * MINUTE);
        assertFalse(f.listed(source, t + 50 * MINUTE), "four young voiced accounts on one lookup: a moderator decides");
    }
}
