package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import net.trustbl.engine.Decision.HeldForModeration;
import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static net.trustbl.engine.EngineFixture.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rules 4 and 6: members' reports on an address nobody has looked up
 * wait for its first lookup (when lookups are counted at all), a coalition's targets go to a
 * moderator on members' reports, and the weekly clean-up keeps new senders.
 */
class FirstLookupAndCoalitionTargetTest {

    /** Members 1-6 opened within three days of each other, each with one confirmed report; 20 and 21 pinned. */
    private static EngineFixture community() {
        EngineFixture f = new EngineFixture(EngineConfig.defaults().withValue("coalitionMinReporters", 5));
        for (long m = 1; m <= 6; m++) {
            f.member(m, 20 + m * 0.5, null, T0);
            f.confirmedOnce(m, T0 - DAY + m);
        }
        f.member(20, 300, 0.6, T0);
        f.member(21, 300, 0.6, T0);
        return f;
    }

    private static boolean held(EngineFixture f, String ip) {
        return holds(f, ip) > 0;
    }

    @Test
    void reportsOnAnAddressNobodyLookedUpWaitForItsFirstLookup() {
        EngineFixture f = community();
        f.member(30, 30, null, T0); // established at 37 days, but farmed accounts can be that
        f.member(31, 30, null, T0);
        long t = f.earnTrack(T0, 7, 30, 31); // established, trust about 0.53 each
        f.lookups(f.freshNet(), 5, t); // the deployment counts lookups
        String quiet = f.freshNet();
        f.spam(30, quiet, t + HOUR);
        f.spam(31, quiet, t + HOUR);
        assertFalse(f.listed(quiet, t + HOUR), "1.06 passes the bar of 1.0, but no receiver has asked about it yet");
        f.lookups(quiet, 20, t + 2 * HOUR); // enough mail for two reports (ReportPlausibility)
        assertTrue(f.listed(quiet, t + 2 * HOUR), "its first lookup count judges the waiting reports");
    }

    @Test
    void anEstablishedMemberOfSixWeeksAndMoreMakesTheAddressFirstSight() {
        EngineFixture f = community();
        f.member(30, 40, null, T0); // 47 days when it reports: an honest young community's member
        long t = f.earnTrack(T0, 7, 30);
        f.lookups(f.freshNet(), 5, t); // the deployment counts lookups
        String quiet = f.freshNet();
        f.spam(30, quiet, t + HOUR);
        assertTrue(f.listed(quiet, t + HOUR), "its mail reached the member: a new sender now, on the fresh bar (trust 0.53 < 1.0)");

        EngineFixture farmed = community();
        farmed.member(30, 36, null, T0);
        long u = farmed.earnTrack(T0, 7, 30);
        farmed.lookups(farmed.freshNet(), 5, u);
        String other = farmed.freshNet();
        farmed.spam(30, other, u + HOUR);
        assertFalse(farmed.listed(other, u + HOUR), "a 43-day account (most farmed accounts are younger than 45 days) waits for the first lookup");
    }

    @Test
    void onlyTheFirstReportCanBeAFirstSight() {
        EngineFixture f = community();
        f.member(30, 100, null, T0);
        long t = f.earnTrack(T0, 7, 30);
        f.lookups(f.freshNet(), 5, t);
        String quiet = f.freshNet();
        f.spam(1, quiet, t + HOUR); // a young account first: the address waits
        f.spam(30, quiet, t + HOUR + 1);
        assertFalse(f.listed(quiet, t + HOUR + 1), "reports already waiting are judged at the first lookup, coalition check first");
    }

    @Test
    void membersAnAdminPinnedListAtOnce() {
        EngineFixture f = community();
        f.lookups(f.freshNet(), 5, T0);
        String quiet = f.freshNet();
        f.spam(20, quiet, T0 + HOUR);
        f.spam(21, quiet, T0 + HOUR);
        assertTrue(f.listed(quiet, T0 + HOUR), "the operator's own people are no coalition");
    }

    @Test
    void withoutCountedLookupsReportsListAsBefore() {
        EngineFixture f = community(); // no lookups anywhere: served by mirrors that count nothing
        String quiet = f.freshNet();
        f.spam(20, quiet, T0 + HOUR);
        f.spam(21, quiet, T0 + HOUR);
        assertTrue(f.listed(quiet, T0 + HOUR));

        EngineFixture off = new EngineFixture(EngineConfig.defaults().withValue("waitForFirstLookup", false));
        off.member(20, 300, 0.6, T0);
        off.member(21, 300, 0.6, T0);
        off.lookups(off.freshNet(), 5, T0);
        String other = off.freshNet();
        off.spam(20, other, T0 + HOUR);
        off.spam(21, other, T0 + HOUR);
        assertTrue(off.listed(other, T0 + HOUR), "waitForFirstLookup=false: the old rule");
    }

    @Test
    void aTrapHitListsAnAddressNobodyLookedUp() {
        EngineFixture f = community();
        f.lookups(f.freshNet(), 5, T0);
        String trapped = f.freshNet();
        f.trap(trapped, 1, T0 + HOUR);
        assertTrue(f.listed(trapped, T0 + HOUR), "the operator's traps are evidence of their own");
    }

    @Test
    void theWeeklyCleanUpKeepsANewSender() {
        EngineFixture f = community();
        long sweep = Math.floorDiv(T0, 7 * DAY) * 7 * DAY + 14 * DAY; // a weekly clean-up after the fixture's start
        String fresh = f.freshNet();
        f.lookups(fresh, 3, sweep - 2 * HOUR); // a handful of lookups: what the clean-up used to forget
        f.apply(new EngineEvent.Tick(sweep + HOUR));
        f.spam(20, fresh, sweep + 2 * HOUR);
        assertTrue(f.listed(fresh, sweep + 2 * HOUR), "still a new sender after the clean-up: one report of 0.6 meets its bar of 0.1");
    }

    /** Members 1-5 report {@code server} (looked up once) one after another: the coalition's mark. */
    private static void coalitionOn(EngineFixture f, String server, long at) {
        f.lookups(server, 1, at);
        for (long m = 1; m <= 5; m++) {
            f.spam(m, server, at + HOUR + m);
        }
    }

    /** A coalition's target (marked at T0 + 1 h) that pinned member 20 reports 3 hours in. */
    private static String targetReportedByOneLongStandingMember(EngineFixture f) {
        String server = f.freshNet();
        coalitionOn(f, server, T0);
        assertFalse(f.listed(server, T0 + 2 * HOUR), "the mark ended the listing");
        f.spam(20, server, T0 + 3 * HOUR);
        return server;
    }

    @Test
    void aCoalitionsTargetGoesToAModeratorOnLaterReports() {
        EngineFixture f = community();
        String server = targetReportedByOneLongStandingMember(f);
        assertFalse(f.listed(server, T0 + 3 * HOUR), "an honest member's report on a coalition's target does not list it");
        assertTrue(held(f, server), "a moderator decides");
        f.trap(server, 1, T0 + 4 * HOUR);
        assertTrue(f.listed(server, T0 + 4 * HOUR), "a hit on the operator's traps still lists it");
    }

    @Test
    void twoLongStandingMembersListACoalitionsTarget() {
        EngineFixture f = community();
        String server = targetReportedByOneLongStandingMember(f);
        assertFalse(f.listed(server, T0 + 3 * HOUR), "one long-standing member's word goes to the moderator");
        f.spam(21, server, T0 + 3 * HOUR + 1);
        assertTrue(f.listed(server, T0 + 3 * HOUR + 1), "a second long-standing member: no coalition and no lone slip");
    }

    @Test
    void aModeratorWhoConfirmsTheEvidenceListsACoalitionsTarget() {
        EngineFixture f = community();
        String server = targetReportedByOneLongStandingMember(f);
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(server), false, T0 + 4 * HOUR));
        assertTrue(f.listed(server, T0 + 4 * HOUR), "the moderator's word waives the hold");
    }

    @Test
    void theNewSendersTheCoalitionReportedTheDayBeforeStayListedForAModerator() {
        EngineFixture f = community();
        String earlier = listedThenCoalition(f);
        assertTrue(f.listed(earlier, T0 + 3 * HOUR), "member 1 is marked, but its listing stays: farmers report real spam early");
        assertTrue(of(f.decisions, HeldForModeration.class).stream().anyMatch(h -> h.ip().equals(IpBlock.parse(earlier))
                && h.reason().contains("mark of a coalition")), "a moderator decides about it");
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(earlier), true, T0 + 4 * HOUR));
        assertFalse(f.listed(earlier, T0 + 4 * HOUR), "the moderator found it wrong");
        f.spam(20, earlier, T0 + 5 * HOUR);
        assertFalse(f.listed(earlier, T0 + 5 * HOUR), "the coalition reported it: members' reports go to a moderator");
    }

    @Test
    void whenSuchAListingLapsesTheNextReportIsANewItemForTheModerator() {
        EngineFixture f = community();
        String earlier = listedThenCoalition(f);
        assertEquals(1, holds(f, earlier), "held once while listed");
        long lapsed = T0 + 2 * DAY;
        f.spam(20, earlier, lapsed);
        assertFalse(f.listed(earlier, lapsed), "the listing lapsed 36 h after its report; a coalition's target");
        assertEquals(2, holds(f, earlier), "the hold ended with the listing: the new report reaches the moderator");
    }

    /** A new sender listed by member 1's lone report, then members 1-5 show a coalition's mark on another address. */
    private static String listedThenCoalition(EngineFixture f) {
        String earlier = f.freshNet();
        f.lookups(earlier, 1, T0);
        f.spam(1, earlier, T0 + 1);
        assertTrue(f.listed(earlier, T0 + 1), "a new sender: member 1's report lists it alone");
        coalitionOn(f, f.freshNet(), T0 + HOUR);
        return earlier;
    }

    private static long holds(EngineFixture f, String ip) {
        return of(f.decisions, HeldForModeration.class).stream().filter(h -> h.ip().equals(IpBlock.parse(ip))).count();
    }

    @Test
    void aSnapshotKeepsTheProtection() throws Exception {
        EngineFixture f = community();
        String server = f.freshNet();
        coalitionOn(f, server, T0);
        TrustEngine restored = f.restoredFromSnapshot();
        restored.apply(new EngineEvent.ReportFiled(1, 20, IpBlock.parse(server), Verdict.SPAM, 1.0, T0 + 3 * HOUR));
        assertFalse(restored.explain(IpBlock.parse(server), T0 + 3 * HOUR).listed(), "still a coalition's target after a restore");
    }
}
