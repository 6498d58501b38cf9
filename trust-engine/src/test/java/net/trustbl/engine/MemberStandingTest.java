package net.trustbl.engine;

import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** TrustEngine#standing: how a member's reports count, as the simulator's trace prints it. */
class MemberStandingTest {

    @Test
    void namesEachStanding() {
        EngineFixture f = EngineFixture.suspectCohort(); // members 3 and 4 are suspect from T0 + 2 h
        f.member(30, 400, null, T0 + 3 * HOUR);
        f.member(31, 30, null, T0 + 3 * HOUR);
        long at = f.earnTrack(T0 + 3 * HOUR, 4, 30, 31);
        assertEquals("suspect", f.engine.standing(3, at));
        assertEquals("long-standing", f.engine.standing(30, at), "400 days old with a record of its own");
        assertEquals("established", f.engine.standing(31, at), "a record of its own, but a month old");
        f.member(32, 5, null, at);
        assertEquals("on probation", f.engine.standing(32, at), "five days old, nothing confirmed");
        assertNull(f.engine.standing(99, at));
    }
}
