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

/** README "How listing works", rule 4: accounts created together are one voice once caught listing wrongly. */
class CohortWatchTest {

    private static boolean created(List<Decision> ds, String ip) {
        return of(ds, ListingChanged.class).stream()
                .anyMatch(l -> l.ip().equals(IpBlock.parse(ip)) && l.change() == Change.CREATED);
    }

    /** Members 1-4 opened within two days of each other (20 days ago), member 9 long before; each with one confirmed report. */
    private static EngineFixture community() {
        EngineFixture f = new EngineFixture();
        for (long m = 1; m <= 4; m++) {
            f.member(m, 20 + m * 0.5, null, T0);
        }
        f.member(9, 200, null, T0);
        for (long m : new long[] {1, 2, 3, 4, 9}) {
            f.confirmedOnce(m, T0 - DAY + m);
        }
        return f;
    }

    /** {@code reporters} report a new server (the first lists it); a moderator upholds its removal an hour later. */
    private static void wrongListing(EngineFixture f, long... reporters) {
        String server = f.freshNet();
        f.lookups(server, 10, T0);
        assertTrue(created(f.spam(reporters[0], server, T0 + HOUR), server), "a new sender: one voice lists it");
        for (int i = 1; i < reporters.length; i++) {
            f.spam(reporters[i], server, T0 + HOUR + i);
        }
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(server), true, T0 + 2 * HOUR));
        assertFalse(f.listed(server, T0 + 2 * HOUR));
    }

    /** Whether {@code member}'s report alone lists an address first looked up at {@code at}. */
    private static boolean listsNewSender(EngineFixture f, long member, long at) {
        String next = f.freshNet();
        f.lookups(next, 10, at);
        return created(f.spam(member, next, at + 1), next);
    }

    @Test
    void aCoalitionCaughtListingWronglyLosesItsSoloPowerTogether() {
        EngineFixture f = community();
        wrongListing(f, 1, 2);
        String next = f.freshNet();
        f.lookups(next, 10, T0 + 3 * HOUR);
        f.spam(3, next, T0 + 3 * HOUR);
        assertFalse(f.listed(next, T0 + 3 * HOUR), "member 3 was not struck, but its cohort was caught: on probation");
        assertEquals(0.04, f.engine.explain(IpBlock.parse(next), T0 + 3 * HOUR).score(), 1e-9, "capped at 0.4 x the fresh bar");
        f.spam(4, next, T0 + 3 * HOUR + 1);
        assertFalse(f.listed(next, T0 + 3 * HOUR + 1), "however many of the cohort report");
        assertTrue(listsNewSender(f, 9, T0 + 4 * HOUR), "an account of another time keeps its voice");
    }

    @Test
    void theSuspicionLapses() {
        EngineFixture f = community();
        wrongListing(f, 1, 2);
        assertFalse(listsNewSender(f, 3, T0 + 3 * HOUR));
        long later = T0 + 2 * HOUR + f.engine.config().cohortSuspectMillis() + HOUR;
        assertTrue(listsNewSender(f, 3, later), "30 days on, member 3 lists a new sender again");
    }

    @Test
    void oneCarelessMembersErrorDoesNotMakeItsCohortSuspect() {
        EngineFixture f = community();
        wrongListing(f, 1);
        assertTrue(listsNewSender(f, 3, T0 + 3 * HOUR), "one struck reporter is no coalition");
    }

    @Test
    void reportersCreatedFarApartAreNoCohort() {
        EngineFixture f = community();
        wrongListing(f, 1, 9); // member 9 is 200 days old: not of member 1's cohort
        assertTrue(listsNewSender(f, 3, T0 + 3 * HOUR));
    }

    @Test
    void aSnapshotKeepsTheSuspectCohorts() throws Exception {
        EngineFixture f = community();
        wrongListing(f, 1, 2);
        TrustEngine restored = f.restoredFromSnapshot();
        String next = f.freshNet();
        restored.apply(new EngineEvent.TrafficObserved(IpBlock.parse(next), 10, T0 + 3 * HOUR));
        restored.apply(new EngineEvent.ReportFiled(1, 3, IpBlock.parse(next), Verdict.SPAM, 1.0, T0 + 3 * HOUR));
        assertFalse(restored.explain(IpBlock.parse(next), T0 + 3 * HOUR).listed(), "still suspect after a restore");
    }

    @Test
    void aSnapshotOfTheOlderLayoutReadsAsCohortWindows() throws Exception {
        EngineFixture f = community();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream older = new java.io.DataOutputStream(bytes);
        older.writeInt(1); // one entry: a creation time and until when its cohort is suspect
        older.writeLong(f.engine.memberBook().get(1).joinedAtMillis);
        older.writeLong(T0 + 10 * DAY);
        CohortWatch read = new CohortWatch(f.engine.config());
        read.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())), SnapshotSections::readIp);
        assertTrue(read.suspect(f.engine.memberBook().get(4), T0 + DAY), "member 4 joined 1.5 days after member 1: same cohort");
        assertFalse(read.suspect(f.engine.memberBook().get(9), T0 + DAY), "member 9 did not");
        assertFalse(read.suspect(f.engine.memberBook().get(4), T0 + 11 * DAY), "the suspicion lapsed");
    }
}
