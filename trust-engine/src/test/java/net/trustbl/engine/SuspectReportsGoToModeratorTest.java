package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import net.trustbl.engine.Decision.Change;
import net.trustbl.engine.Decision.HeldForModeration;
import net.trustbl.engine.Decision.ListingChanged;
import org.junit.jupiter.api.Test;

import java.util.List;

import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static net.trustbl.engine.EngineFixture.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 4: accounts of a marked coalition no longer list a new sender
 * on their own, but what they report goes to a moderator instead of nowhere (farming accounts
 * report real spam, and often first); a hold the moderator confirms is listed.
 */
class SuspectReportsGoToModeratorTest {

    private static List<HeldForModeration> holds(List<Decision> ds, String ip) {
        return of(ds, HeldForModeration.class).stream().filter(h -> h.ip().equals(IpBlock.parse(ip))).toList();
    }

    @Test
    void aSuspectsReportOnANewSenderIsHeldNotListedNorDropped() {
        EngineFixture f = EngineFixture.suspectCohort();
        String source = f.freshNet();
        f.lookups(source, 10, T0 + 3 * HOUR);
        List<Decision> ds = f.spam(3, source, T0 + 3 * HOUR);
        assertFalse(f.listed(source, T0 + 3 * HOUR), "member 3's cohort was caught: its word alone lists nothing");
        assertEquals(1, holds(ds, source).size(), "but a moderator sees it: " + ds);
        assertTrue(holds(ds, source).get(0).reason().contains("marked coalition"), holds(ds, source).get(0).reason());
        assertTrue(holds(f.spam(4, source, T0 + 3 * HOUR + 1), source).isEmpty(), "held once, not once per report");
    }

    /** A new sender that suspect member 3 reported: held. */
    private static String heldBySuspect(EngineFixture f) {
        String ip = f.freshNet();
        f.lookups(ip, 10, T0 + 3 * HOUR);
        f.spam(3, ip, T0 + 3 * HOUR);
        return ip;
    }

    @Test
    void theModeratorsConfirmationListsIt() {
        EngineFixture f = EngineFixture.suspectCohort();
        String source = heldBySuspect(f);
        List<Decision> ds = f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(source), false, T0 + 10 * HOUR));
        assertTrue(of(ds, ListingChanged.class).stream().anyMatch(l -> l.ip().equals(IpBlock.parse(source))
                && l.change() == Change.CREATED && l.reason().contains("moderator confirmed")), ds.toString());
        assertTrue(f.listed(source, T0 + 10 * HOUR));
        assertTrue(f.listed(source, T0 + 10 * HOUR + 17 * HOUR), "listed for at least half a listing's lifetime from the decision");
    }

    @Test
    void aRejectedHoldListsNothingAndStrikesTheReporter() {
        EngineFixture f = EngineFixture.suspectCohort();
        String server = heldBySuspect(f);
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(server), true, T0 + 10 * HOUR));
        assertFalse(f.listed(server, T0 + 10 * HOUR));
        assertEquals(1, f.engine.memberBook().get(3).wrongListings, "the moderator found member 3's report wrong");
    }

    @Test
    void anAddressWithAClearRecordIsNotHeldOnSuspectsWord() {
        EngineFixture f = EngineFixture.suspectCohort();
        String quiet = f.freshNet(); // never looked up: not a new sender, no voice to weigh
        List<Decision> ds = f.spam(3, quiet, T0 + 3 * HOUR);
        assertTrue(holds(ds, quiet).isEmpty(), ds.toString());
        assertFalse(f.listed(quiet, T0 + 3 * HOUR));
    }
}
