package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member's trap feed (POST /api/v1/trap-hits) is that member's word, as its reports are: it
 * lifts none of the rules that hold members' word for a moderator. Only the operator's own traps
 * are evidence apart from the members. Before, any trap hit did: one established member listed a
 * known sender its report could not, up to the feed's 20,000 addresses a day, and one hit from a
 * member on probation, weighing next to nothing, freed a coalition's held new server.
 */
class MemberTrapFeedIsOneVoiceTest {

    /**
     * Addresses first looked up at t, a little each day for three days: known senders, no clean
     * record yet. Day by day for all of them: the engine's clock never goes back.
     */
    private static String[] knownSenders(EngineFixture f, long t, int n) {
        String[] ips = new String[n];
        for (int i = 0; i < n; i++) {
            ips[i] = f.freshNet();
        }
        for (int day = 0; day < 3; day++) {
            for (String ip : ips) {
                f.lookups(ip, 3, t + day * DAY);
            }
        }
        return ips;
    }

    @Test
    void oneMembersTrapHitOnAKnownSenderIsHeldLikeItsReport() {
        EngineFixture f = new EngineFixture();
        f.member(1, 30, null, T0);
        long t = f.earnTrack(T0, 7, 1); // trust earned over a week: established, enough to send trap hits
        assertTrue(f.engine.member(1).trust() >= 0.5, "the member may send trap hits: " + f.engine.member(1).trust());
        long at = t + 3 * DAY;
        String[] known = knownSenders(f, t, 3);
        String reported = known[0];
        String trapped = known[1];
        String operatorTrapped = known[2];
        f.spam(1, reported, at);
        assertFalse(f.listed(reported, at), "one member's report on a known sender goes to a moderator");

        f.apply(new EngineEvent.TrapHit(IpBlock.parse(trapped), 1, 1L, at + 1));
        Explanation x = f.engine.explain(IpBlock.parse(trapped), at + 1);
        assertFalse(x.listed(), "the same member's trap hit is its word too: " + x.reason());
        assertTrue(x.heldForModeration(), x.reason());

        // the operator's own traps are evidence apart from the members: a hit lists
        f.spam(1, operatorTrapped, at + 2);
        f.apply(new EngineEvent.TrapHit(IpBlock.parse(operatorTrapped), 1, at + 3));
        assertTrue(f.listed(operatorTrapped, at + 3), "a report and an operator's trap hit list it");
    }

    @Test
    void aProbationMembersTrapHitDoesNotFreeACoalitionsHeldTarget() throws Exception {
        EngineFixture f = new EngineFixture();
        f.member(100, 400, 1.0, T0); // the operator's own member, so that the accounts can echo a listing
        for (long m = 1; m <= 12; m++) {
            f.member(m, 10, null, T0);
            String own = f.freshNet();
            f.member(200 + m, 400, 1.0, T0);
            f.lookups(own, 5, T0 + 100 * m);
            f.spam(200 + m, own, T0 + 100 * m + 1);
            f.spam(m, own, T0 + 100 * m + 2); // one confirmed echo each: a new sender's voice
        }
        f.member(50, 12, null, T0);
        long t = f.earnTrack(T0 + HOUR, 7, 50); // trust over 0.5, not established: on probation

        EngineFixture alone = f.restored();
        String server = alone.freshNet();
        alone.lookups(server, 1, t);
        for (long m = 1; m <= 12; m++) {
            alone.spam(m, server, t + m);
        }
        assertFalse(alone.listed(server, t + 20), "the coalition's pile alone is held");

        String target = f.freshNet();
        f.lookups(target, 1, t + 30);
        f.apply(new EngineEvent.TrapHit(IpBlock.parse(target), 1, 50L, t + 31));
        for (long m = 1; m <= 12; m++) {
            f.spam(m, target, t + 40 + m);
        }
        Explanation x = f.engine.explain(IpBlock.parse(target), t + 60);
        assertFalse(x.listed(), "one probation member's trap hit lifts nothing: " + x.reason());
        assertEquals(1, x.trapHits(), "the hit is still shown");
    }
}
