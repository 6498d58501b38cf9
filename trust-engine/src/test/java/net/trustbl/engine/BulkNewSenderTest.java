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
 * ({@code bulkSenderLookupsPerHour}) and a member outside any marked coalition reports it too; and a listing a moderator confirmed is not undone by the
 * coalition rules afterwards.
 */
class BulkNewSenderTest {

    private static boolean created(List<Decision> ds, String ip, String reasonPart) {
        return of(ds, ListingChanged.class).stream().anyMatch(l -> l.ip().equals(IpBlock.parse(ip))
                && l.change() == Decision.Change.CREATED && l.reason().contains(reasonPart));
    }

    /**
     * Member 10, outside the marked cohort (the operator's own person, pinned at the trust floor),
     * reports {@code ip} at half strength: a voice that counts, but weighs less than a new sender's
     * bar by itself (a full report at the floor lists a new sender alone, rule 4).
     */
    private static List<Decision> outsiderReports(EngineFixture f, String ip, long at) {
        if (f.engine.member(10) == null) {
            f.member(10, 10, 0.1, T0 + 2 * HOUR + 1); // after the fixture's last event: events never go back
        }
        return f.report(10, ip, Verdict.SPAM, 0.5, at);
    }

    /**
     * A new sender with {@code lookups} counted in its first hour, reported by suspect 3 (held: the
     * marked accounts alone), then by the outsider: listed as bulk mail. Returns the address.
     */
    private static String bulkSourceListed(EngineFixture f, int lookups) {
        String source = f.freshNet();
        f.lookups(source, lookups, T0 + 3 * HOUR);
        List<Decision> ds = f.spam(3, source, T0 + 3 * HOUR);
        assertFalse(f.listed(source, T0 + 3 * HOUR), "the marked accounts alone: a moderator decides " + ds);
        ds = outsiderReports(f, source, T0 + 3 * HOUR + 1);
        assertTrue(created(ds, source, "looked up like bulk mail"), ds.toString());
        return source;
    }

    @Test
    void aSuspectsReportListsANewSenderLookedUpLikeBulkMailOnceAnOutsiderReportsItToo() {
        EngineFixture f = EngineFixture.suspectCohort();
        String source = bulkSourceListed(f, 60); // 60 receivers' networks in its first hour
        assertTrue(f.listed(source, T0 + 3 * HOUR + 1));
    }

    @Test
    void aBusyNewServerReportedOnlyByAMarkedCoalitionStaysWithTheModerator() {
        // new-server attack on servers of 100 messages an hour (30 lookups an hour at 0.3 a
        // message): the bulk-mail rate was passed in the first hour, and 200 farmed accounts listed
        // 7 of 20 such servers on their word alone; real spam draws reporters outside a coalition
        EngineFixture f = EngineFixture.suspectCohort();
        String server = f.freshNet();
        for (int h = 0; h < 6; h++) {
            f.lookups(server, 60, T0 + (3 + h) * HOUR);
            f.spam(3, server, T0 + (3 + h) * HOUR + 1);
            f.spam(4, server, T0 + (3 + h) * HOUR + 2);
            assertFalse(f.listed(server, T0 + (3 + h) * HOUR + 2), "hour " + h);
        }
        assertTrue(f.engine.explain(IpBlock.parse(server), T0 + 9 * HOUR).heldForModeration());
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
        f.spam(3, server, T0 + 3 * HOUR);
        List<Decision> ds = outsiderReports(f, server, T0 + 3 * HOUR + 1); // only the rate holds it now
        assertFalse(f.listed(server, T0 + 3 * HOUR), ds.toString());
        f.lookups(server, 4, T0 + 3 * HOUR + 50 * 60_000L); // 24 in the first hour: P(>= 24 | 15) is about 2 %
        assertFalse(f.listed(server, T0 + 3 * HOUR + 50 * 60_000L));
        f.lookups(server, 12, T0 + 5 * HOUR); // 36 in two hours since the first count
        assertFalse(f.listed(server, T0 + 5 * HOUR), "36 lookups in two hours are what 15 an hour often draws");
        bulkSourceListed(f, 40); // P(>= 40 | 15) is about 6e-8
    }

    @Test
    void bulkMailAModeratorClearedGoesToAModeratorFirst() {
        EngineFixture f = EngineFixture.suspectCohort();
        String source = bulkSourceListed(f, 60);
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(source), true, T0 + 4 * HOUR));
        // README rule 10 on this path too: two fresh voices, one of them outside the coalition
        f.member(11, 10, 0.1, T0 + 4 * HOUR);
        f.lookups(source, 60, T0 + 4 * HOUR + 1);
        f.spam(4, source, T0 + 4 * HOUR + 2);
        List<Decision> ds = f.report(11, source, Verdict.SPAM, 0.5, T0 + 4 * HOUR + 3);
        assertFalse(f.listed(source, T0 + 4 * HOUR + 3), "not listed again behind the moderator's back: " + ds);
        assertTrue(f.engine.explain(IpBlock.parse(source), T0 + 4 * HOUR + 3).heldForModeration());
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
