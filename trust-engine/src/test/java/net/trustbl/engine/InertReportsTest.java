package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reports of inert members (never confirmed, never earned, under the trust floor, not pinned:
 * MemberBook#inert) are filed but left out of what a tally walks (IpEvidence#weighable): a sybil
 * flood's thousand accounts otherwise cost a walk over a thousand entries per report. They weigh
 * nothing until their member changes; then they count like any report, wherever they were filed.
 */
class InertReportsTest {

    private static final long T0 = EngineFixture.T0 + 30 * DAY;

    private final EngineFixture f = EngineFixture.trustedPair();

    @Test
    void anInertMembersReportCountsOnceAnAdminPinsTheMember() {
        f.member(10, 30, null, T0);
        String ip = f.sendingSince(T0 - 3 * DAY, 1)[0];
        f.spam(10, ip, T0);
        assertTrue(f.engine.memberBook().inert(f.engine.memberBook().get(10)), "a fresh account with nothing confirmed");
        assertEquals(0, f.engine.explain(IpBlock.parse(ip), T0).score(), 1e-12);
        assertFalse(f.listed(ip, T0));

        // the pin re-judges the member's recent targets: the report left out now weighs the pin
        f.apply(new EngineEvent.TrustPinned(10, 1.0, T0 + HOUR));
        assertTrue(f.listed(ip, T0 + HOUR), "the report filed while the member was inert lists once it is pinned");
    }

    @Test
    void anEchoOfAListingWakesTheReportsLeftOutBefore() {
        f.member(11, 30, null, T0);
        String newSender = f.freshNet();
        f.lookups(newSender, 1, T0); // first looked up now: a new sender, whose bar is 0.1
        f.spam(11, newSender, T0 + 1);
        assertEquals(0, f.engine.explain(IpBlock.parse(newSender), T0 + 1).score(), 1e-12,
                "no confirmed report: no new-sender voice, and under the floor");

        String listed = f.sendingSince(T0 - 3 * DAY, 1)[0];
        f.spam(1, listed, T0 + 2);
        f.spam(2, listed, T0 + 3);
        assertTrue(f.listed(listed, T0 + 3));
        f.spam(11, listed, T0 + 4); // agreeing with a visible listing confirms the report: the new-sender voice

        assertFalse(f.engine.memberBook().inert(f.engine.memberBook().get(11)));
        assertEquals(0.1, f.engine.explain(IpBlock.parse(newSender), T0 + 5).score(), 1e-9,
                "its earlier report on the new sender now weighs the trust floor");
    }

    @Test
    void reportsLeftOutOnATargetTheMemberNoLongerRemembersStillCountWhenItWakes() {
        f.member(12, 30, null, T0);
        String first = f.sendingSince(T0 - 3 * DAY, 1)[0];
        f.spam(12, first, T0);
        // more targets than a member remembers (MemberState.MAX_RECENT_TARGETS): the first is forgotten
        for (int i = 0; i < MemberState.MAX_RECENT_TARGETS + 10; i++) {
            f.spam(12, f.freshNet(), T0 + 1 + i);
        }
        assertFalse(f.engine.memberBook().get(12).recentTargets.stream().anyMatch(e -> e.ip.toString().equals(first)));

        f.apply(new EngineEvent.TrustPinned(12, 1.0, T0 + HOUR));
        f.lookups(first, 1, T0 + 2 * HOUR); // the next evidence on it judges it again
        assertTrue(f.listed(first, T0 + 2 * HOUR), "the report filed while inert counts at the pinned trust");
    }
}
