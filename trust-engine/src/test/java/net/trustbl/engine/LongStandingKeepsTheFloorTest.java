package net.trustbl.engine;

import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 4: on a new sender a member counts at least the trust floor
 * times its precision; a long-standing member (60 days, not suspect) whose precision bound is
 * at least 0.5 keeps the whole floor, so its one report still lists new spam.
 */
class LongStandingKeepsTheFloorTest {

    /**
     * A member {@code ageDays} old with one confirmed claim and 15 that nothing confirmed: its
     * precision is (1 + 3) / (16 + 4) = 0.2, a bound of 0.75. The claims are filed while no
     * lookups are counted, so none of them is a first sight and none lists.
     */
    private static EngineFixture imprecise(double ageDays) {
        EngineFixture f = new EngineFixture();
        f.member(30, ageDays, null, T0);
        f.confirmedOnce(30, T0);
        for (int i = 0; i < 15; i++) {
            f.spam(30, f.freshNet(), T0 + HOUR + i);
        }
        assertEquals(0.75, f.engine.memberBook().get(30).precisionBound, 0.02);
        return f;
    }

    private static boolean listsANewSender(EngineFixture f) {
        String source = f.freshNet();
        f.lookups(source, 5, T0 + 2 * HOUR);
        f.spam(30, source, T0 + 2 * HOUR + 1);
        return f.listed(source, T0 + 2 * HOUR + 1);
    }

    @Test
    void aLongStandingMemberKeepsTheFloorOnNewSenders() {
        assertTrue(listsANewSender(imprecise(100)), "0.1 x 0.75 would be 0.075, under the fresh bar of 0.1");
    }

    @Test
    void aYoungerOneDoesNot() {
        assertFalse(listsANewSender(imprecise(45)), "45 days: 0.075 < 0.1");
    }
}
