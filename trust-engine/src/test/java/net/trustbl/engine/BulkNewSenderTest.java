package net.trustbl.engine;

import net.trustbl.address.IpBlock;
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
 * README "How listing works", rule 4: what accounts of a marked coalition report goes to a
 * moderator, unless receivers already look the new sender up like bulk mail
 * ({@code bulkSenderLookupsPerHour}); and a listing a moderator confirmed is not undone by the
 * coalition rules afterwards.
 */
class BulkNewSenderTest {

    private static boolean created(List<Decision> ds, String ip, String reasonPart) {
        return of(ds, ListingChanged.class).stream().anyMatch(l -> l.ip().equals(IpBlock.parse(ip))
                && l.change() == Decision.Change.CREATED && l.reason().contains(reasonPart));
    }

    @Test
    void aSuspectsReportListsANewSenderLookedUpLikeBulkMail() {
        EngineFixture f = EngineFixture.suspectCohort();
        String source = f.freshNet();
        f.lookups(source, 60, T0 + 3 * HOUR); // 60 receivers' networks in its first hour
        List<Decision> ds = f.spam(3, source, T0 + 3 * HOUR);
        assertTrue(created(ds, source, "looked up like bulk mail"), ds.toString());
        assertTrue(f.listed(source, T0 + 3 * HOUR));
    }

    @Test
    void aSmallNewServerStaysWithTheModeratorHoweverLongItsLookupsAddUp() {
        EngineFixture f = EngineFixture.suspectCohort();
        String server = f.freshNet();
        f.lookups(server, 8, T0 + 3 * HOUR);
        f.spam(3, server, T0 + 3 * HOUR);
        for (int h = 1; h <= 10; h++) { // 8 an hour for ten hours: 88 in all, never 20 an hour
            List<Decision> ds = f.lookups(server, 8, T0 + (3 + h) * HOUR);
            assertFalse(f.listed(server, T0 + (3 + h) * HOUR), "hour " + h + ": " + ds);
        }
        f.spam(4, server, T0 + 14 * HOUR);
        assertFalse(f.listed(server, T0 + 14 * HOUR), "a second suspect's report leaves it with the moderator too");
    }

    @Test
    void aBusyNewServersLuckyFirstHourIsNoBulkMail() {
        // a new server drawing 12 lookups an hour sees 20 in some first hour (a chance of about
        // 2 %); 20 against the rate of 15 is a test's question, not a ratio's: a Poisson count at
        // 15 an hour reaches 20 one time in eight (world-101-90 listed 4 new servers on a ratio)
        EngineFixture f = EngineFixture.suspectCohort();
        assertEquals(15.0, f.engine.config().bulkSenderLookupsPerHour(), "the numbers below are the default rate's");
        String server = f.freshNet();
        f.lookups(server, 20, T0 + 3 * HOUR);
        List<Decision> ds = f.spam(3, server, T0 + 3 * HOUR);
        assertFalse(f.listed(server, T0 + 3 * HOUR), ds.toString());
        f.lookups(server, 4, T0 + 3 * HOUR + 50 * 60_000L); // 24 in the first hour: P(>= 24 | 15) is about 2 %
        assertFalse(f.listed(server, T0 + 3 * HOUR + 50 * 60_000L));
        f.lookups(server, 12, T0 + 5 * HOUR); // 36 in two hours since the first count
        assertFalse(f.listed(server, T0 + 5 * HOUR), "36 lookups in two hours are what 15 an hour often draws");
        String source = f.freshNet();
        f.lookups(source, 40, T0 + 3 * HOUR); // P(>= 40 | 15) is about 6e-8
        assertTrue(created(f.spam(3, source, T0 + 3 * HOUR), source, "looked up like bulk mail"));
    }

    @Test
    void aListingTheModeratorConfirmedOutlastsItsReportersSuspension() {
        EngineFixture f = EngineFixture.suspectCohort();
        String source = f.freshNet();
        f.lookups(source, 10, T0 + 3 * HOUR);
        f.spam(3, source, T0 + 3 * HOUR);
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(source), false, T0 + 5 * HOUR));
        assertTrue(f.listed(source, T0 + 5 * HOUR), "the moderator confirmed the hold");
        f.apply(new EngineEvent.MemberSuspended(3, true, T0 + 6 * HOUR));
        assertTrue(f.listed(source, T0 + 6 * HOUR), "a moderator looked at the evidence: the reporter's suspension does not undo that");
    }
}
