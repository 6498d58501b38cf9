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
 * After a moderator upheld a delisting request (found the listing wrong), new evidence on the
 * address goes to a moderator for moderatorClearedHoldMillis instead of listing it, trap hits
 * and pinned members' reports included; the moderator's confirmation lists it. A big provider's new outbound address, which sends some real spam from compromised
 * accounts, was otherwise listed again on the next honest report or trap hit, removed, and listed
 * again, each round striking honest reporters (ops/bench/redteam-worlds/a3-*: 234 false-listing
 * hours, now 24).
 */
class ModeratorClearedAddressTest {

    private static List<Decision.HeldForModeration> holds(List<Decision> d) {
        return EngineFixture.of(d, Decision.HeldForModeration.class);
    }

    /** An address listed on member 1's report at {@code t} whose delisting a moderator upheld at {@code t + 2h}. */
    private static String clearedByModerator(EngineFixture f, long t) {
        String ip = f.freshNet();
        f.lookups(ip, 10, t - HOUR);
        f.spam(1, ip, t);
        assertTrue(f.listed(ip, t), "one established member's report lists a new sender");
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(ip), true, t + 2 * HOUR));
        assertFalse(f.listed(ip, t + 2 * HOUR), "the moderator removed it");
        return ip;
    }

    /** Receivers look {@code ip} up again at {@code t + 4h}, and member 2 reports it at {@code t + 5h}. */
    private static List<Decision> reportedAgain(EngineFixture f, String ip, long t) {
        f.lookups(ip, 10, t + 4 * HOUR);
        return f.spam(2, ip, t + 5 * HOUR);
    }

    @Test
    void newReportsAndTrapHitsGoToAModeratorAndItsConfirmationLists() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String ip = clearedByModerator(f, t);

        List<Decision.HeldForModeration> held = holds(reportedAgain(f, ip, t));
        assertFalse(f.listed(ip, t + 5 * HOUR), "another established member's report does not list it again");
        assertEquals(1, held.size(), "it goes to a moderator");
        assertTrue(held.get(0).reason().contains("a moderator found no spam here"), held.get(0).reason());

        f.trap(ip, 2, t + 6 * HOUR);
        assertFalse(f.listed(ip, t + 6 * HOUR), "an operator trap hit goes to the moderator too");

        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(ip), false, t + 8 * HOUR));
        assertTrue(f.listed(ip, t + 8 * HOUR), "the moderator confirms the new evidence: listed");
    }

    @Test
    void aTurnedDownHoldStrikesLikeTheWrongListingItReplaces() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String ip = clearedByModerator(f, t);
        reportedAgain(f, ip, t);
        assertTrue(f.engine.explain(IpBlock.parse(ip), t + 5 * HOUR).heldForModeration());
        List<Decision> d = f.apply(new EngineEvent.HoldDismissed(IpBlock.parse(ip), t + 6 * HOUR));
        // without the hold member 2's report listed the address and the moderator's removal struck
        // it; a hold that spared only the listed hours must not spare the strike (a farmed
        // account keeps its voice for the next new server otherwise)
        assertEquals(1, f.engine.member(2).strikes(), "the reporter after the moderator's word is struck");
        assertEquals(1, EngineFixture.of(d, Decision.ReportOutcomeChanged.class).stream()
                .filter(o -> o.outcome() == ReportOutcome.CLEARED).count(), "its report is cleared");
        assertFalse(f.engine.explain(IpBlock.parse(ip), t + 6 * HOUR).heldForModeration(), "the item is closed");
        // and the moderator's word is renewed: the next report goes to a moderator again
        f.member(3, 400, 1.0, t);
        f.spam(3, ip, t + 7 * HOUR);
        assertFalse(f.listed(ip, t + 7 * HOUR));
    }

    @Test
    void aHoldOfAnotherRuleTurnedDownStrikesNobody() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String ip = clearedByModerator(f, t);
        // two days on the address is no new sender: one member's word goes to a moderator anyway
        // (a known sender needs two voices), whatever the moderator said before
        f.lookups(ip, 10, t + 2 * DAY);
        f.spam(2, ip, t + 2 * DAY + HOUR);
        assertTrue(f.engine.explain(IpBlock.parse(ip), t + 2 * DAY + HOUR).heldForModeration());
        f.apply(new EngineEvent.HoldDismissed(IpBlock.parse(ip), t + 2 * DAY + 2 * HOUR));
        assertEquals(0, f.engine.member(2).strikes(), "a hold that listed nothing and replaced no listing strikes nobody");
    }

    @Test
    void theHoldEndsAfterItsTime() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String ip = clearedByModerator(f, t);
        long later = t + 2 * HOUR + EngineConfig.defaults().moderatorClearedHoldMillis() + HOUR;
        f.lookups(ip, 10, later);
        f.trap(ip, 2, later + HOUR);
        assertTrue(f.listed(ip, later + HOUR), "a month later an operator trap hit lists it as anywhere");
    }

    @Test
    void aSnapshotKeepsTheModeratorsWord() throws java.io.IOException {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String ip = clearedByModerator(f, t);
        EngineFixture g = f.restored();
        g.lookups(ip, 10, t + 4 * HOUR);
        g.trap(ip, 2, t + 5 * HOUR);
        assertFalse(g.listed(ip, t + 5 * HOUR), "read back from a snapshot, the address still goes to a moderator");
        g.spam(2, ip, t + 5 * HOUR + 1);
        EngineFixture h = g.restored();
        h.apply(new EngineEvent.HoldDismissed(IpBlock.parse(ip), t + 6 * HOUR));
        assertEquals(1, h.engine.member(2).strikes(), "and a snapshot keeps why it is held");
    }

    @Test
    void switchedOffTheNextReportListsAgainAsBefore() {
        EngineFixture f = new EngineFixture(EngineConfig.defaults().withValue("moderatorClearedHoldMillis", 0L));
        f.member(1, 400, null, T0);
        f.member(2, 400, null, T0);
        f.earnTrack(T0, 25, 1, 2);
        long t = T0 + 30 * DAY;
        String ip = clearedByModerator(f, t);
        reportedAgain(f, ip, t);
        assertTrue(f.listed(ip, t + 5 * HOUR), "with the setting at 0 the next established report lists it again");
    }
}
