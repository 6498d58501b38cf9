package net.trustbl.engine;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whoever controls an address can have all its accounts report it and then mail an operator trap
 * from it. The trap hit is evidence apart from the reporters, so it confirms them all; it pays
 * only one account on probation of each cohort (accounts created within cohortMillis of each
 * other) per IPv4 /24 and week, and none on IPv6. Before, one hit paid 200 accounts made on one
 * day, and a week of it established them.
 */
class TrapHitPaysOneOfACohortTest {

    private static Set<Long> earners(List<Decision> decisions, long fromId, long toId) {
        Set<Long> ids = new HashSet<>();
        for (Decision.TrustChanged c : EngineFixture.of(decisions, Decision.TrustChanged.class)) {
            if (c.memberId() >= fromId && c.memberId() <= toId && c.newTrust() > c.oldTrust()) {
                ids.add(c.memberId());
            }
        }
        return ids;
    }

    @Test
    void accountsCreatedTogetherEarnOnceFromTheirOwnAddressesTrapHit() {
        EngineFixture f = new EngineFixture();
        for (long m = 1; m <= 20; m++) {
            f.member(m, 10 + m * 0.01, null, T0); // all created within one hour, ten days ago
        }
        String own = f.freshNet();
        for (long m = 1; m <= 20; m++) {
            f.spam(m, own, T0 + m);
        }
        List<Decision> out = f.trap(own, 1, T0 + HOUR);
        assertEquals(1, earners(out, 1, 20).size(), "one trap hit pays one account of a cohort: " + earners(out, 1, 20));
        assertTrue(f.listed(own, T0 + HOUR), "the trap hit still lists the address");
        int confirmed = 0;
        for (long m = 1; m <= 20; m++) {
            confirmed += f.engine.member(m).confirmedReports();
        }
        assertEquals(20, confirmed, "every report is still confirmed (precision counts it)");
    }

    @Test
    void aNetworkOfTheirOwnPaysTheCohortOnceNotOnceAnAddress() {
        EngineFixture f = new EngineFixture();
        for (long m = 1; m <= 20; m++) {
            f.member(m, 10 + m * 0.01, null, T0);
        }
        // a leased /24: each account reports an address of its own in it, and each address mails a trap
        for (long m = 1; m <= 20; m++) {
            f.spam(m, "45.200.17." + m, T0 + m);
        }
        List<Decision> out = new java.util.ArrayList<>();
        for (long m = 1; m <= 20; m++) {
            out.addAll(f.trap("45.200.17." + m, 1, T0 + HOUR + m));
        }
        assertEquals(1, earners(out, 1, 20).size(), "one /24 pays one account of a cohort: " + earners(out, 1, 20));
        // a week later the evidence has aged out, and the network pays once more
        f.spam(2, "45.200.17.200", T0 + 8 * DAY);
        assertEquals(Set.of(2L), earners(f.trap("45.200.17.200", 1, T0 + 8 * DAY + HOUR), 1, 20));
    }

    @Test
    void membersCreatedAtTheirOwnTimesAllEarn() {
        EngineFixture f = new EngineFixture();
        for (long m = 1; m <= 20; m++) {
            f.member(m, 10 + m * 30, null, T0); // a month apart: no cohort; none established (no earning days yet)
        }
        String spamSource = f.freshNet();
        f.lookups(spamSource, 20, T0);
        for (long m = 1; m <= 20; m++) {
            f.spam(m, spamSource, T0 + m);
        }
        List<Decision> out = f.trap(spamSource, 1, T0 + HOUR);
        assertEquals(20, earners(out, 1, 20).size(), "independent recipients of one spam run all earn");
    }

    @Test
    void onIpv6OnlyEstablishedMembersEarn() {
        EngineFixture f = new EngineFixture();
        f.member(1, 400, null, T0);
        long t = f.earnTrack(T0, 7, 1); // established
        f.member(2, 200, null, t);      // on probation, far from member 1's creation
        String v6 = "2a01:4f8:10:20::7";  // one of the 2^80 addresses a free /48 holds
        f.spam(2, v6, t + 1); // first, while the score is low: an early report
        f.spam(1, v6, t + 2);
        List<Decision> out = f.trap(v6, 1, t + HOUR);
        assertEquals(Set.of(1L), earners(out, 1, 2), "a member on probation earns nothing on an IPv6 address");
    }
}
