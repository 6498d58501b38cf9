package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import net.trustbl.engine.Decision.Change;
import net.trustbl.engine.Decision.ListingChanged;
import org.junit.jupiter.api.Test;

import java.util.List;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static net.trustbl.engine.EngineFixture.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 4: more reporters on a new sender than its lookups can explain,
 * without a trap hit, is the mark of a coalition; the reporters' cohorts go on probation.
 */
class CoalitionSignatureTest {

    /**
     * Members 1-6 opened within three days of each other (20 days ago), member 9 long before; each
     * with one confirmed report. The rule's mechanics are shown with groups of five
     * ({@code coalitionMinReporters=5}); the default group size is chosen on the random-world sweep.
     */
    private static EngineFixture community() {
        return community(EngineConfig.defaults().withValue("coalitionMinReporters", 5));
    }

    private static EngineFixture community(EngineConfig config) {
        EngineFixture f = new EngineFixture(config);
        for (long m = 1; m <= 6; m++) {
            f.member(m, 20 + m * 0.5, null, T0);
        }
        f.member(9, 200, null, T0);
        for (long m : new long[] {1, 2, 3, 4, 5, 6, 9}) {
            f.confirmedOnce(m, T0 - DAY + m);
        }
        return f;
    }

    private static List<ListingChanged> changes(List<Decision> ds, String ip, Change change) {
        return of(ds, ListingChanged.class).stream()
                .filter(l -> l.ip().equals(IpBlock.parse(ip)) && l.change() == change).toList();
    }

    /** Whether {@code member}'s report alone lists an address first looked up at {@code at}. */
    private static boolean listsNewSender(EngineFixture f, long member, long at) {
        String next = f.freshNet();
        f.lookups(next, 10, at);
        f.spam(member, next, at + 1);
        return f.listed(next, at + 1);
    }

    /** Members 1-5 report {@code server} one after another, an hour after its first {@code lookups} lookups. */
    private static void fiveReport(EngineFixture f, String server, long lookups) {
        f.lookups(server, lookups, T0);
        for (long m = 1; m <= 5; m++) {
            f.spam(m, server, T0 + HOUR + m);
        }
    }

    @Test
    void aPileOfReportsOnAQuietNewServerMarksACoalition() {
        EngineFixture f = community();
        String server = f.freshNet();
        fiveReport(f, server, 1);
        assertFalse(f.listed(server, T0 + 2 * HOUR), "five reporters on an address looked up once: not its recipients");
        List<ListingChanged> removed = changes(f.decisions, server, Change.REMOVED);
        assertEquals(1, removed.size(), "the first voice listed it; the fifth report ended the listing");
        assertTrue(removed.get(0).reason().contains("coalition"), removed.get(0).reason());
        assertFalse(listsNewSender(f, 6, T0 + 3 * HOUR), "member 6 did not report, but its cohort was marked: on probation");
        assertTrue(listsNewSender(f, 9, T0 + 3 * HOUR), "an account of another time keeps its voice");
        assertTrue(of(f.decisions, Decision.TrustChanged.class).stream().noneMatch(c -> c.reason().contains("cleared")),
                "a mark is no proof: nobody takes a strike");
    }

    @Test
    void atTheDefaultsFiveReportersAreNotYetACoalition() {
        EngineFixture f = community(EngineConfig.defaults());
        String server = f.freshNet();
        fiveReport(f, server, 1);
        assertTrue(changes(f.decisions, server, Change.REMOVED).isEmpty(), "the default mark needs "
                + EngineConfig.defaults().coalitionMinReporters() + " reporters created together");
        assertTrue(listsNewSender(f, 6, T0 + 3 * HOUR), "nobody's cohort was marked");
    }

    @Test
    void aReporterOfAnotherTimeShowsTheAddressHasRecipientsBeyondOneCoalition() {
        EngineFixture f = community();
        String source = f.freshNet();
        f.lookups(source, 1, T0);
        f.spam(9, source, T0 + HOUR);
        fiveReport(f, source, 0);
        assertTrue(f.listed(source, T0 + 2 * HOUR), "member 9 joined 180 days before the others: no coalition alone");
        assertTrue(listsNewSender(f, 6, T0 + 3 * HOUR), "nobody's cohort was marked");
    }

    @Test
    void theMarkCoversADayAroundTheCoalitionsAccountsNotAWholeCohortWindow() {
        EngineFixture f = community();
        f.member(7, 27, null, T0); // four days before member 5, the oldest reporter: a wrong listing's 7-day window would take it
        f.confirmedOnce(7, T0 - DAY + 7);
        fiveReport(f, f.freshNet(), 1);
        assertFalse(listsNewSender(f, 6, T0 + 3 * HOUR));
        assertTrue(listsNewSender(f, 7, T0 + 3 * HOUR), "created four days apart from every reporter: keeps its voice");
    }

    @Test
    void aBusyNewSpamSourceReportedByManyStaysListed() {
        EngineFixture f = community();
        String source = f.freshNet();
        fiveReport(f, source, 100);
        assertTrue(f.listed(source, T0 + 2 * HOUR), "five reports against 100 lookups: recipients reporting spam");
        assertTrue(listsNewSender(f, 6, T0 + 3 * HOUR), "nobody's cohort was marked");
    }

    @Test
    void aTrapHitIsEvidenceNoCoalitionHas() {
        EngineFixture f = community();
        String source = f.freshNet();
        f.trap(source, 1, T0 + HOUR);
        fiveReport(f, source, 1);
        assertTrue(f.listed(source, T0 + 2 * HOUR));
        assertTrue(listsNewSender(f, 6, T0 + 3 * HOUR));
    }

    @Test
    void aSnapshotKeepsTheMarkedCohorts() throws Exception {
        EngineFixture f = community();
        fiveReport(f, f.freshNet(), 1);
        TrustEngine restored = f.restoredFromSnapshot();
        String next = f.freshNet();
        restored.apply(new EngineEvent.TrafficObserved(IpBlock.parse(next), 10, T0 + 3 * HOUR));
        restored.apply(new EngineEvent.ReportFiled(1, 6, IpBlock.parse(next), Verdict.SPAM, 1.0, T0 + 3 * HOUR));
        assertFalse(restored.explain(IpBlock.parse(next), T0 + 3 * HOUR).listed(), "still marked after a restore");
    }
    @Test
    void accountsAlreadyMarkedLinkTheRestOfTheirCoalition() {
        EngineFixture f = community();
        for (long m = 11; m <= 13; m++) { // created a week after members 1-6 ...
            f.member(m, 14 + (m - 11) * 0.2, null, T0);
            f.confirmedOnce(m, T0 - DAY + m);
        }
        for (long m = 14; m <= 16; m++) { // ... and a week before them: 15 days from members 11-13
            f.member(m, 29 + (m - 14) * 0.2, null, T0);
            f.confirmedOnce(m, T0 - DAY + m);
        }
        fiveReport(f, f.freshNet(), 1); // members 1-5 are marked
        String next = f.freshNet();
        f.lookups(next, 1, T0 + 2 * HOUR);
        for (long m : new long[] {1, 2, 3, 4, 5, 11, 12, 13, 14, 15, 16}) {
            f.spam(m, next, T0 + 3 * HOUR + m);
        }
        assertFalse(f.listed(next, T0 + 4 * HOUR), "eleven reporters on an address looked up once");
        assertFalse(listsNewSender(f, 11, T0 + 5 * HOUR), "linked to the coalition through its marked accounts: marked too");
        assertFalse(listsNewSender(f, 16, T0 + 5 * HOUR));
    }

    /** Members 1-5 leave a coalition's signature on a quiet new address; member 6 is marked with them. */
    private static String signatureOnAQuietAddress(EngineFixture f) {
        String address = f.freshNet();
        fiveReport(f, address, 1);
        assertFalse(listsNewSender(f, 6, T0 + 3 * HOUR), "marked by the signature");
        return address;
    }

    @Test
    void theOperatorsTrapsShowingTheSignatureAddressSendsSpamLiftTheMark() {
        EngineFixture f = community();
        String address = signatureOnAQuietAddress(f);
        f.trap(address, 1, T0 + 4 * HOUR);
        assertTrue(f.listed(address, T0 + 4 * HOUR), "the operator's trap hit lists it");
        assertTrue(listsNewSender(f, 6, T0 + 5 * HOUR), "farmers who report fresh spam early are no coalition: the mark is lifted");
    }

    @Test
    void aModeratorConfirmingTheSignatureAddressLiftsTheMark() {
        EngineFixture f = community();
        String address = signatureOnAQuietAddress(f);
        f.spam(9, address, T0 + 3 * HOUR + 30);
        assertTrue(f.engine.explain(IpBlock.parse(address), T0 + 4 * HOUR).heldForModeration(), "a coalition's target: held");
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(address), false, T0 + 4 * HOUR));
        assertTrue(f.listed(address, T0 + 4 * HOUR), "the moderator found the reports right");
        assertTrue(listsNewSender(f, 6, T0 + 5 * HOUR));
    }

    @Test
    void aMembersOwnTrapFeedOrAnotherAddressLiftsNothing() {
        EngineFixture f = community();
        String address = signatureOnAQuietAddress(f);
        f.apply(new EngineEvent.TrapHit(IpBlock.parse(address), 3, 2L, T0 + 4 * HOUR)); // a coalition account's gateway
        f.member(20, 300, 1.0, T0 + 4 * HOUR); // an admin pinned this member at full trust
        f.apply(new EngineEvent.TrapHit(IpBlock.parse(address), 3, 20L, T0 + 4 * HOUR)); // its gateway: enough to list
        assertTrue(f.listed(address, T0 + 4 * HOUR));
        f.trap(f.freshNet(), 1, T0 + 4 * HOUR);
        assertFalse(listsNewSender(f, 6, T0 + 5 * HOUR), "members' trap feeds are their word, whoever feeds them: the mark stays");
    }

    @Test
    void aLiftOnlyEndsTheMarksOfThatSignature() {
        EngineFixture f = community();
        String first = signatureOnAQuietAddress(f);
        String second = f.freshNet();
        f.lookups(second, 1, T0 + 3 * HOUR);
        for (long m = 1; m <= 5; m++) {
            f.spam(m, second, T0 + 4 * HOUR + m);
        }
        f.trap(first, 1, T0 + 5 * HOUR);
        assertFalse(listsNewSender(f, 6, T0 + 6 * HOUR), "the second signature is unproven: still marked");
        f.trap(second, 1, T0 + 6 * HOUR);
        assertTrue(listsNewSender(f, 6, T0 + 7 * HOUR), "both proved spam");
    }

    @Test
    void aSnapshotKeepsWhichAddressEachMarkRestsOn() throws Exception {
        EngineFixture f = community();
        String address = signatureOnAQuietAddress(f);
        TrustEngine restored = f.restoredFromSnapshot();
        restored.apply(new EngineEvent.TrapHit(IpBlock.parse(address), 1, T0 + 4 * HOUR));
        String next = f.freshNet();
        restored.apply(new EngineEvent.TrafficObserved(IpBlock.parse(next), 10, T0 + 5 * HOUR));
        restored.apply(new EngineEvent.ReportFiled(1, 6, IpBlock.parse(next), Verdict.SPAM, 1.0, T0 + 5 * HOUR));
        assertTrue(restored.explain(IpBlock.parse(next), T0 + 5 * HOUR).listed(), "the restored mark was lifted by its address's trap hit");
    }
}
