package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole /24 is listed as snowshoe only on listings that rest on more than members' word
 * (EngineConfig#snowshoeMinWitnesses): four cheap accounts must not take a provider's network,
 * servers with a clean record included, off the mail.
 */
class SnowshoeWitnessTest {

    private static final String SERVER = "198.51.100.10";
    private static final String NETWORK = "198.51.100.0/24";

    /**
     * A provider's server with twelve clean days; four accounts (3 to 29 days old, created weeks
     * apart, one confirmed report each) whose owner looks up four unused addresses of the
     * provider's /24 itself (a lookup makes an address a new sender) and then reports one each.
     * Returns the time after the reports.
     */
    private static long farmedAccountsReportSelfLookedUpNeighbours(EngineFixture f) {
        f.dailyLookups(SERVER, 50, T0, 12);
        long t = T0 + 12 * DAY;
        for (long m = 1; m <= 4; m++) {
            f.member(m, 3 + 8 * (m - 1), null, t - DAY);
            f.confirmedOnce(m, t - DAY + m * HOUR);
        }
        for (int i = 1; i <= 4; i++) {
            f.lookups("198.51.100." + (200 + i), 1, t + i * 60_000);
        }
        for (int i = 1; i <= 4; i++) {
            f.spam(i, "198.51.100." + (200 + i), t + HOUR + i * 60_000);
        }
        return t + 2 * HOUR;
    }

    @Test
    void fourFarmedAccountsDoNotListAProvidersNetwork() {
        EngineFixture f = new EngineFixture();
        long at = farmedAccountsReportSelfLookedUpNeighbours(f);
        for (int i = 1; i <= 4; i++) {
            assertTrue(f.listed("198.51.100." + (200 + i), at), "each quiet address is a new sender, listed on one report");
        }
        assertFalse(f.listed(NETWORK, at), "members' word alone lists no network");
        assertFalse(f.listed(SERVER, at), "the server with a clean record stays reachable");
    }

    @Test
    void withoutTheWitnessRuleTheSameReportsListTheNetworkAndTheServer() {
        EngineFixture f = new EngineFixture(EngineConfig.defaults().withValue("snowshoeMinWitnesses", 0));
        long at = farmedAccountsReportSelfLookedUpNeighbours(f);
        assertTrue(f.listed(NETWORK, at));
        assertTrue(f.listed(SERVER, at), "what the rule prevents");
    }

    @Test
    void listingsThatLaterHitTheOperatorsTrapsListTheNetwork() {
        EngineFixture f = new EngineFixture();
        long at = farmedAccountsReportSelfLookedUpNeighbours(f);
        for (int i = 1; i <= 3; i++) {
            f.trap("198.51.100." + (200 + i), 1, at + i * 60_000);
        }
        assertFalse(f.listed(NETWORK, at + HOUR), "three witnesses are not four");
        f.trap("198.51.100.204", 1, at + 2 * HOUR);
        assertTrue(f.listed(NETWORK, at + 2 * HOUR), "the fourth trap hit on a listed address lists the block");
    }

    @Test
    void membersWordNeverListsANetworkButAPinnedReporterIsAWitness() {
        EngineFixture f = EngineFixture.trustedPair(); // two members 400 days old with a long record: long-standing
        long t = T0 + 30 * DAY;
        for (int i = 1; i <= 4; i++) {
            String ip = "203.19.60." + i;
            f.lookups(ip, 40, t + i * 60_000);
            f.spam(1, ip, t + HOUR + i * 60_000);
            f.spam(2, ip, t + HOUR + i * 60_000 + 1);
            assertTrue(f.listed(ip, t + HOUR + i * 60_000 + 1));
        }
        assertFalse(f.listed("203.19.60.0/24", t + 2 * HOUR),
                "two long-standing members on each of four addresses: accounts farmed for two months would be as old");
        f.member(9, 400, 1.0, t);
        for (int i = 1; i <= 4; i++) {
            f.spam(9, "203.19.60." + i, t + 3 * HOUR + i * 60_000);
        }
        assertTrue(f.listed("203.19.60.0/24", t + 4 * HOUR), "a member the operator pinned makes each a witness");
    }

    @Test
    void aSnapshotKeepsTheWitnesses() throws Exception {
        EngineFixture f = new EngineFixture();
        for (int i = 1; i <= 3; i++) {
            f.trap("203.20.60." + i, 1, T0 + i);
        }
        TrustEngine restored = f.restoredFromSnapshot();
        restored.apply(new EngineEvent.TrapHit(IpBlock.parse("203.20.60.4"), 1, T0 + 10));
        assertTrue(restored.explain(IpBlock.parse("203.20.60.0/24"), T0 + 10).listed(),
                "three witnesses read back and a fourth list the block");
    }
}
