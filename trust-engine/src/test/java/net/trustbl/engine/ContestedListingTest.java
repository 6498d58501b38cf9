package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 4, *a contested listing holds its reporters' cohort*: a server
 * that farmed accounts list asks for its delisting at once, and until a moderator answers, the
 * accounts created near its reporters no longer list new senders on their own word; a refused
 * request, a trap hit or {@link EngineConfig#contestHoldMillis()} ends that, and where requests
 * come for much of what is listed they hold nobody (spammers ask too).
 */
class ContestedListingTest {

    private static final long MIN = 60_000L;

    /**
     * Members 1-3 opened within two days of each other 25 days ago, member 9 opened 60 days before
     * them; each has one confirmed report (the new-sender voice). Thirty more addresses were listed
     * by the operator's traps, so one request is news (one request per 35 listings is under the
     * share of 0.05; two would not be).
     */
    private static EngineFixture world() {
        EngineFixture f = new EngineFixture();
        for (long m = 1; m <= 3; m++) {
            f.member(m, 25 + m * 0.5, null, T0);
        }
        f.member(9, 85, null, T0);
        for (long m : new long[] {1, 2, 3, 9}) {
            f.confirmedOnce(m, T0 - 2 * HOUR + m);
        }
        for (int i = 0; i < 30; i++) {
            f.trap(f.freshNet(), 2, T0 - HOUR + i);
        }
        return f;
    }

    /** A new server's first lookup, then {@code member}'s report; returns whether that listed it. */
    private static boolean oneReportLists(EngineFixture f, long member, long at) {
        String server = f.freshNet();
        f.lookups(server, 1, at);
        f.spam(member, server, at + MIN);
        return f.listed(server, at + MIN);
    }

    private static String listedByMemberOne(EngineFixture f) {
        String server = f.freshNet();
        f.lookups(server, 1, T0);
        f.spam(1, server, T0 + MIN);
        assertTrue(f.listed(server, T0 + MIN), "one report of an account with a confirmed report lists a new sender");
        return server;
    }

    private static void request(EngineFixture f, String ip, long at) {
        f.apply(new EngineEvent.DelistingRequested(IpBlock.parse(ip), at));
    }

    /** A world with a listing on member 1's word ({@code byMember}) and one by the operator's traps ({@code byTrap}). */
    private record TwoListings(EngineFixture f, String byMember, String byTrap) { }

    /**
     * {@link #world()} with ten more trap listings, then member 1's listing at T0 + 1 min and a trap
     * listing at T0 + 10 min: 46 listings, so requests on up to 2.3 of them are news. What
     * src/test/resources/snapshots/format3-before-contested-mark.bin holds, as a service wrote it
     * before requests were counted once per listing.
     */
    private static TwoListings twoListings() {
        EngineFixture f = world();
        for (int i = 0; i < 10; i++) {
            f.trap(f.freshNet(), 2, T0 - HOUR + 100 + i);
        }
        String byMember = listedByMemberOne(f);
        String byTrap = f.freshNet();
        f.trap(byTrap, 2, T0 + 10 * MIN);
        assertTrue(f.listed(byTrap, T0 + 10 * MIN));
        return new TwoListings(f, byMember, byTrap);
    }

    /** The listed trap source asks three times, then member 1's listing is contested: the cohort is held. */
    private static void askThriceThenContestMembersListing(EngineFixture f, TwoListings w) {
        for (int i = 0; i < 3; i++) {
            request(f, w.byTrap(), T0 + (20 + 10 * i) * MIN);
        }
        request(f, w.byMember(), T0 + HOUR);
        assertTrue(f.listed(w.byTrap(), T0 + HOUR) && f.listed(w.byMember(), T0 + HOUR), "requests delist nothing by themselves");
        assertFalse(oneReportLists(f, 2, T0 + 2 * HOUR), "the request on member 1's listing still holds its cohort");
        assertTrue(oneReportLists(f, 9, T0 + 2 * HOUR), "an account created two months apart keeps its voice");
    }

    @Test
    void untilTheModeratorAnswersTheReportersCohortNoLongerListsNewSendersAlone() {
        EngineFixture f = world();
        String server = listedByMemberOne(f);
        request(f, server, T0 + HOUR);
        assertTrue(f.listed(server, T0 + HOUR), "a request delists nothing by itself");
        assertFalse(oneReportLists(f, 2, T0 + 2 * HOUR), "an account created a day from the reporter waits for a moderator");
        assertFalse(oneReportLists(f, 1, T0 + 2 * HOUR), "so does the reporter");
        assertTrue(oneReportLists(f, 9, T0 + 2 * HOUR), "an account created two months apart keeps its voice");
    }

    /**
     * A reporter with six weeks and a half of track record (established, not suspect, its
     * new-sender voice) holds nobody: a spammer asking for a few of its listings held a whole
     * young community otherwise, whose members joined within a cohort window of each other
     * (red-team world a6b). Members 4 and 6 each earn on 3 days (established); after that member 4
     * is 50 days old, member 6 43, and member 5, 49 days old with one confirmed report, was created
     * within 7 days of both.
     */
    @Test
    void aReporterWithSixWeeksOfTrackRecordHoldsNoCohort() {
        for (boolean sixWeeks : new boolean[] {true, false}) {
            EngineFixture f = new EngineFixture();
            f.member(4, 47, null, T0);
            f.member(5, 46, null, T0);
            f.member(6, 40, null, T0);
            f.confirmedOnce(5, T0 - 2 * HOUR);
            long t = f.earnTrack(T0, 3, 4, 6); // 18 trap listings, 10 more below: one request is news
            for (int i = 0; i < 10; i++) {
                f.trap(f.freshNet(), 2, t + i);
            }
            long reporter = sixWeeks ? 4 : 6;
            assertTrue(f.engine.member(reporter).trust() > 0.1, "established with its track record");
            String server = f.freshNet();
            f.lookups(server, 1, t + HOUR);
            f.spam(reporter, server, t + HOUR + MIN);
            assertTrue(f.listed(server, t + HOUR + MIN));
            request(f, server, t + 2 * HOUR);
            assertEquals(sixWeeks, oneReportLists(f, 5, t + 3 * HOUR),
                    sixWeeks ? "a contest on a 50-day member's listing holds nobody"
                            : "a contest on a 43-day member's listing holds its cohort");
        }
    }

    @Test
    void aRefusedRequestOrTheHoldTimeEndsIt() {
        EngineFixture f = world();
        String server = listedByMemberOne(f);
        request(f, server, T0 + HOUR);
        assertFalse(oneReportLists(f, 2, T0 + 2 * HOUR));
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(server), false, T0 + 3 * HOUR));
        assertTrue(oneReportLists(f, 2, T0 + 4 * HOUR), "the moderator found the listing right: the cohort's voice is back");

        EngineFixture g = world();
        String other = listedByMemberOne(g);
        request(g, other, T0 + HOUR);
        assertFalse(oneReportLists(g, 3, T0 + 24 * HOUR), "within the 24 hours, still waiting");
        assertTrue(oneReportLists(g, 2, T0 + 26 * HOUR), "an undecided request holds nobody longer than contestHoldMillis");
    }

    /**
     * Anyone may ask, again and again (the service lets three requests an hour through per
     * address): counted each time, one listed address used up the share of requests for every
     * listing, so the next real contest held nobody.
     */
    @Test
    void aListingCountsOneRequestHoweverOftenItsDelistingIsAskedFor() {
        TwoListings w = twoListings();
        askThriceThenContestMembersListing(w.f(), w);
    }

    /** Asked for again after contestHoldMillis, a listing would hold its reporters' cohort once more, for ever. */
    @Test
    void askingAgainForTheSameListingHoldsNobodyAnew() {
        TwoListings w = twoListings();
        EngineFixture f = w.f();
        request(f, w.byMember(), T0 + HOUR);
        assertFalse(oneReportLists(f, 2, T0 + 2 * HOUR));
        assertTrue(oneReportLists(f, 2, T0 + 26 * HOUR), "the hold ends after contestHoldMillis");
        request(f, w.byMember(), T0 + 27 * HOUR);
        assertTrue(f.listed(w.byMember(), T0 + 27 * HOUR));
        assertTrue(oneReportLists(f, 3, T0 + 28 * HOUR), "the same listing asked about again holds nobody");
    }

    /** The mark is the listing's: a new listing of the address may be contested again. */
    @Test
    void aNewListingOfTheAddressMayBeContestedAgain() {
        TwoListings w = twoListings();
        EngineFixture f = w.f();
        request(f, w.byMember(), T0 + HOUR);
        IpEvidence e = f.engine.evidenceBook().get(IpBlock.parse(w.byMember()));
        assertTrue(e.contested);
        assertFalse(f.listed(w.byMember(), T0 + 40 * HOUR), "lapsed 36 h after its report");
        assertTrue(e.contested, "nothing to contest until it is listed again");
        f.trap(w.byMember(), 2, T0 + 41 * HOUR);
        assertTrue(f.listed(w.byMember(), T0 + 41 * HOUR));
        assertFalse(e.contested);
    }

    @Test
    void aSnapshotKeepsWhichListingsWereContested() throws IOException {
        TwoListings w = twoListings();
        request(w.f(), w.byTrap(), T0 + 15 * MIN);
        EngineFixture f = w.f().restored();
        assertTrue(f.engine.evidenceBook().get(IpBlock.parse(w.byTrap())).contested);
        askThriceThenContestMembersListing(f, w);
    }

    /**
     * A format-3 snapshot written before listings carried the mark is still read: its listings
     * count as not yet contested (a listing asked about before the restart may count once more).
     */
    @Test
    void aSnapshotWrittenBeforeTheContestedMarkStillLoads() throws IOException {
        TrustEngine restored;
        try (InputStream in = ContestedListingTest.class.getResourceAsStream("/snapshots/format3-before-contested-mark.bin")) {
            assertNotNull(in);
            restored = EngineSnapshot.read(EngineConfig.defaults(), in);
        }
        TwoListings w = twoListings();
        assertEquals(w.f().engine.listings().toString(), restored.listings().toString(), "the world twoListings() builds");
        assertEquals(w.f().engine.member(1), restored.member(1));
        EngineFixture f = EngineFixture.around(restored, 200);
        assertFalse(f.engine.evidenceBook().get(IpBlock.parse(w.byMember())).contested);
        askThriceThenContestMembersListing(f, w);
    }

    @Test
    void whereRequestsComeForMuchOfWhatIsListedTheyHoldNobody() throws Exception {
        EngineFixture f = world();
        String server = listedByMemberOne(f);
        // 35 listings: requests on up to 0.05 of them (1.75) are news; a spammer asking for two of
        // its trap-listed sources makes the third request, on member 1's listing, say nothing
        for (int i = 0; i < 2; i++) {
            String source = f.freshNet();
            f.trap(source, 2, T0 + 10 * MIN + i);
            request(f, source, T0 + 20 * MIN + i);
        }
        TrustEngine restored = f.restoredFromSnapshot(); // the counts are state: a restart keeps them
        for (TrustEngine engine : new TrustEngine[] {f.engine, restored}) {
            engine.apply(new EngineEvent.DelistingRequested(IpBlock.parse(server), T0 + HOUR));
            String next = "45.250.1.9";
            engine.apply(new EngineEvent.TrafficObserved(IpBlock.parse(next), 1, T0 + 2 * HOUR));
            engine.apply(new EngineEvent.ReportFiled(9_999, 2, IpBlock.parse(next), Verdict.SPAM, 1.0, T0 + 2 * HOUR + MIN));
            assertTrue(engine.explain(IpBlock.parse(next), T0 + 2 * HOUR + MIN).listed(),
                    "requests on most listings: member 2 keeps its word");
        }

        EngineFixture off = new EngineFixture(EngineConfig.defaults().withValue("contestHoldMillis", 0L));
        for (long m = 1; m <= 2; m++) {
            off.member(m, 25 + m * 0.5, null, T0);
            off.confirmedOnce(m, T0 - 2 * HOUR + m);
        }
        for (int i = 0; i < 30; i++) {
            off.trap(off.freshNet(), 2, T0 - HOUR + i);
        }
        request(off, listedByMemberOne(off), T0 + HOUR);
        assertTrue(oneReportLists(off, 2, T0 + 2 * HOUR), "contestHoldMillis=0 turns the rule off");
    }
}
