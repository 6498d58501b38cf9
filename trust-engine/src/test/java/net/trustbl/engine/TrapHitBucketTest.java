package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A submitter's trap hits on one address within a minute of its entry there go into that entry
 * (IpEvidence#addTrap): a member's gateway may send hundreds a second, and one entry per hit made
 * every evaluation, which each hit triggers, walk all of them (quadratic work, unbounded memory).
 * Merged hits weigh what one event carrying them all at the entry's time weighs.
 */
class TrapHitBucketTest {

    private static final String IP = "203.17.7.7";
    private static final long MIN = 60_000L;

    private static List<Decision> memberTrap(EngineFixture f, long member, int hits, long at) {
        return f.apply(new EngineEvent.TrapHit(IpBlock.parse(IP), hits, member, at));
    }

    private static int trapEntries(EngineFixture f) {
        return f.engine.evidenceBook().get(IpBlock.parse(IP)).trapSize;
    }

    @Test
    void aMembersFloodOfTrapHitsOnOneAddressKeepsOneEntryPerMinute() {
        EngineFixture f = new EngineFixture();
        f.member(1, 100, 0.9, T0);
        int n = 100_000;
        long step = HOUR / n; // 36 ms apart: 100,000 hits in an hour
        for (int i = 0; i < n; i++) {
            long at = T0 + i * step;
            memberTrap(f, 1, 1, at);
            if (i % 1000 == 999) {
                long minutes = (at - T0) / MIN + 1;
                assertTrue(trapEntries(f) <= minutes, trapEntries(f) + " entries after " + (i + 1) + " hits in " + minutes + " minutes");
            }
        }
        assertTrue(trapEntries(f) <= 61, trapEntries(f) + " entries for an hour of hits");
        Explanation x = f.engine.explain(IpBlock.parse(IP), T0 + HOUR);
        assertEquals(n, x.trapHits(), "every hit is still counted");
        assertEquals(0.9, x.score(), 1e-9, "however many hits, one member's trap feed weighs at most its trust");
        assertFalse(x.listed());

        EngineFixture one = new EngineFixture();
        one.member(1, 100, 0.9, T0);
        memberTrap(one, 1, 1, T0);
        assertEquals(0.9, one.engine.explain(IpBlock.parse(IP), T0 + HOUR).score(), 1e-9, "as much as a single hit");
    }

    /** Hits one by one within a minute against the same hits in one event at the first one's time. */
    @Test
    void hitsWithinAMinuteWeighWhatOneEventCarryingThemWeighs() {
        for (Long member : new Long[] {null, 1L}) {
            EngineFixture apart = world();
            EngineFixture batched = world();
            long[] at = {T0, T0 + 10_000, T0 + 35_000, T0 + 59_999};
            for (long t : at) {
                apart.apply(new EngineEvent.TrapHit(IpBlock.parse(IP), 1, member, t));
            }
            batched.apply(new EngineEvent.TrapHit(IpBlock.parse(IP), at.length, member, T0));
            assertEquals(1, trapEntries(apart));
            // a second member's report, then the same later hit, on both
            for (EngineFixture f : new EngineFixture[] {apart, batched}) {
                f.spam(2, IP, T0 + 2 * MIN);
                f.apply(new EngineEvent.TrapHit(IpBlock.parse(IP), 2, member, T0 + 3 * MIN));
            }
            assertEquals(2, trapEntries(apart), "a hit a minute after the entry opens another");
            assertEquals(apart.listed(IP, T0 + 3 * MIN), batched.listed(IP, T0 + 3 * MIN));
            for (long t : new long[] {T0 + 5 * MIN, T0 + 30 * HOUR, T0 + 60 * HOUR, T0 + 7 * DAY - MIN, T0 + 7 * DAY + 2 * MIN}) {
                assertEquals(batched.engine.explain(IpBlock.parse(IP), t), apart.engine.explain(IpBlock.parse(IP), t),
                        (member == null ? "operator" : "member") + " hits at " + (t - T0) / MIN + " min");
            }
        }
    }

    /** Member 1 pinned at 0.6 (a trap feed), member 2 pinned at 0.3 (a reporter). */
    private static EngineFixture world() {
        EngineFixture f = new EngineFixture();
        f.member(1, 100, 0.6, T0);
        f.member(2, 100, 0.3, T0);
        return f;
    }
}
