package net.trustbl.engine;

import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 10: a report of a member below the trust floor weighs nothing,
 * but when the member has a confirmed claim (not merely an echo of a listing), no strike and no
 * wrong listing, and is not suspect of a coalition, it is new evidence for a listing that stands:
 * the listing lapses 36 hours after it, not 36 hours after the last report that weighed
 * (world-58-68: a young honest community kept reporting a spam source that a long-standing member
 * had listed, and the listing lapsed under their reports while SpamCop's rule kept it).
 */
class EchoKeepsAListingTest {

    /** After the pair's 25 days of track record (EngineFixture#trustedPair): the engine's clock never goes back. */
    private static final long T0 = EngineFixture.T0 + 30 * DAY;

    private final EngineFixture f = EngineFixture.trustedPair();
    private final String ip;

    /** Members 1 and 2 (trusted) list a known sender at T0; member 9 is 45 days old with one confirmed claim (trust 0.073). */
    EchoKeepsAListingTest() {
        ip = f.sendingSince(T0 - 3 * DAY, 1)[0];
        f.member(9, 45, null, T0 - 2 * DAY);
        f.confirmedOnce(9, T0 - 2 * DAY);
        f.spam(1, ip, T0);
        f.spam(2, ip, T0 + 1);
        assertTrue(f.listed(ip, T0 + 1), "two trusted members list a known sender without a clean record");
        assertEquals(0.073, f.engine.memberBook().get(9).earnedTrust, 0.001, "under the trust floor of 0.1");
    }

    /** Whether the address is still listed at {@code t}, once the engine's clock has got there. */
    private boolean listedAt(long t) {
        f.apply(new EngineEvent.Tick(t));
        return f.listed(ip, t);
    }

    @Test
    void aConfirmedMembersReportKeepsTheListingThoughItWeighsNothing() {
        f.spam(9, ip, T0 + 30 * HOUR);
        assertTrue(listedAt(T0 + 40 * HOUR), "the listing lapses 36 h after member 9's report, not after the pair's");
        assertFalse(listedAt(T0 + 67 * HOUR), "and then it lapses");
    }

    @Test
    void anAccountThatOnlyAgedDoesNot() {
        f.member(10, 300, null, T0);
        f.spam(10, ip, T0 + 30 * HOUR);
        assertFalse(listedAt(T0 + 37 * HOUR), "its echo is a confirmed report but no confirmed claim: it keeps nothing alive");
    }

    @Test
    void echoesKeepAListingAtMostAWeekPastTheLastReportThatWeighed() {
        for (int day = 1; day <= 8; day++) {
            f.spam(9, ip, T0 + day * DAY); // a member counts once per address: its latest report is what counts
        }
        assertTrue(listedAt(T0 + 7 * DAY + 35 * HOUR), "renewed by the echo of day 7");
        assertFalse(listedAt(T0 + 7 * DAY + 37 * HOUR),
                "the echo of day 8 came when the pair's reports were older than the evidence window: nothing weighed, nothing renewed");
    }
}
