package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
