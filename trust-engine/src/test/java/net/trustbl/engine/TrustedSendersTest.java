package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trusted-senders rule (the allow zone): who can vouch an address in, and what takes it out. */
class TrustedSendersTest {

    private static final String IP = "198.51.100.7";

    @Test
    void twoPinnedMembersPositiveReportsMakeAnUnlistedAddressTrusted() {
        EngineFixture f = twoPinnedMembers();
        assertTrue(trustedChanges(f.trusted(1, IP, T0 + HOUR)).isEmpty(), "one member alone is not enough");
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
        List<Decision.TrustedChanged> d = trustedChanges(f.trusted(2, IP, T0 + 2 * HOUR));
        assertEquals(1, d.size());
        assertEquals(TrustedSender.CODE_VOUCHED, d.get(0).code());
        assertEquals(TrustedSender.CODE_VOUCHED, f.engine.trustedSender(IpBlock.parse(IP)).code());
        assertEquals(List.of(IpBlock.parse(IP)), f.engine.trustedSenders().stream().map(TrustedSender::ip).toList());
    }

    @Test
    void aCoalitionOfProbationAccountsCannotMakeAnAddressTrusted() {
        EngineFixture f = new EngineFixture();
        long[] ids = new long[50];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + i;
            f.member(ids[i], 10, null, T0);
        }
        long t = f.earnTrack(T0, 4, ids); // earned trust, but no account is a month old: all on probation
        for (long m : ids) {
            assertTrue(trustedChanges(f.trusted(m, IP, t + m)).isEmpty());
        }
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
    }

    @Test
    void aListingRemovesItAndTheOldVouchesDoNotBringItBack() {
        EngineFixture f = vouchedByTwoPinnedMembers();
        f.member(3, 30, 1.0, T0 + 2 * HOUR);
        List<Decision> d = f.spam(3, IP, T0 + 2 * HOUR);
        assertTrue(f.listed(IP, T0 + 2 * HOUR));
        List<Decision.TrustedChanged> removed = trustedChanges(d);
        assertEquals(1, removed.size());
        assertEquals(0, removed.get(0).code());
        assertEquals("removed: listed", removed.get(0).reason());
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
        // the listing lapses; vouches made before it are stale, a fresh vouch from both counts again
        f.apply(new EngineEvent.Tick(T0 + 3 * DAY));
        assertFalse(f.listed(IP, T0 + 3 * DAY));
        f.trusted(1, IP, T0 + 3 * DAY + 1);
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)), "one fresh vouch and one stale one");
        f.trusted(2, IP, T0 + 3 * DAY + 2);
        assertNotNull(f.engine.trustedSender(IpBlock.parse(IP)));
    }

    @Test
    void aTrapHitRemovesIt() {
        EngineFixture f = vouchedByTwoPinnedMembers();
        assertNotNull(f.engine.trustedSender(IpBlock.parse(IP)));
        List<Decision.TrustedChanged> d = trustedChanges(f.trap(IP, 1, T0 + 2 * HOUR));
        assertEquals(0, d.get(d.size() - 1).code());
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
    }

    @Test
    void aListedBlockAroundItRemovesIt() {
        EngineFixture f = vouchedByTwoPinnedMembers();
        f.member(3, 30, 1.0, T0 + 2 * HOUR);
        f.spam(3, "198.51.100.0/24", T0 + 2 * HOUR);
        assertTrue(f.listed(IP, T0 + 2 * HOUR));
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
    }

    @Test
    void aLongCleanRecordMakesItTrusted() {
        EngineFixture f = new EngineFixture();
        int days = f.engine.config().tenureMinDays();
        long last = f.dailyLookups(IP, 1000, T0, days - 1);
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)), (days - 1) + " clean days are not enough");
        f.lookups(IP, 1000, last + DAY);
        assertEquals(TrustedSender.CODE_CLEAN_RECORD, f.engine.trustedSender(IpBlock.parse(IP)).code());
    }

    /**
     * Spam reports on a sender trusted for its clean record go to a moderator (it is not listed),
     * and take it out of the allow zone once their weight reaches half the bar: the judgement's
     * sums of that report, reused, say so with the report count of the address itself.
     */
    @Test
    void spamReportsOnACleanRecordTakeItOutOnceTheyWeighHalfTheBar() {
        EngineFixture f = new EngineFixture();
        int days = f.engine.config().tenureMinDays();
        long last = f.dailyLookups(IP, 1000, T0, days);
        assertEquals(TrustedSender.CODE_CLEAN_RECORD, f.engine.trustedSender(IpBlock.parse(IP)).code());
        f.member(1, 400, 0.3, last);
        f.member(2, 400, 0.3, last);
        assertTrue(trustedChanges(f.spam(1, IP, last + HOUR)).isEmpty(), "0.3 of a bar of 1.0: still trusted");
        assertNotNull(f.engine.trustedSender(IpBlock.parse(IP)));
        List<Decision> d = f.spam(2, IP, last + 2 * HOUR);
        assertFalse(f.listed(IP, last + 2 * HOUR), "a clean record is held for a moderator, not listed");
        List<Decision.TrustedChanged> removed = trustedChanges(d);
        assertEquals(1, removed.size(), d.toString());
        assertEquals(0, removed.get(0).code());
        assertEquals("removed: spam evidence (2 spam reports, 0 trap hits)", removed.get(0).reason());
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
    }

    @Test
    void aModeratorUpholdingADelistingMakesItTrustedUntilItIsListedAgain() {
        EngineFixture f = new EngineFixture();
        f.member(3, 30, 1.0, T0);
        f.spam(3, IP, T0);
        assertTrue(f.listed(IP, T0));
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(IP), true, T0 + HOUR));
        assertEquals(TrustedSender.CODE_MODERATOR, f.engine.trustedSender(IpBlock.parse(IP)).code());
        f.trap(IP, 3, T0 + 2 * HOUR);
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
        f.apply(new EngineEvent.Tick(T0 + 10 * DAY)); // the trap hits aged out: the moderator's word is not back
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse("198.51.100.8"), false, T0 + 10 * DAY));
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
    }

    /**
     * Two requests on one listing, or a request and a dispute: a moderator upholds one, the address
     * is delisted, its evidence cleared and it is trusted on the moderator's word; turning the other
     * down afterwards refuses nothing (no listing is left). It neither strikes the members who
     * vouched for it, nor waives its bars, nor takes the moderator's word back.
     */
    @Test
    void refusingAnotherRequestAfterTheModeratorDelistedTheAddressChangesNothing() {
        EngineFixture f = twoPinnedMembers();
        f.member(3, 30, 1.0, T0);
        f.spam(3, IP, T0);
        assertTrue(f.listed(IP, T0));
        f.trusted(1, IP, T0 + HOUR); // they vouch for the listed address (a dispute)
        f.trusted(2, IP, T0 + HOUR);
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(IP), true, T0 + 2 * HOUR));
        assertEquals(TrustedSender.CODE_MODERATOR, f.engine.trustedSender(IpBlock.parse(IP)).code());
        List<Decision> d = f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(IP), false, T0 + 3 * HOUR));
        assertTrue(d.isEmpty(), d.toString());
        assertEquals(TrustedSender.CODE_MODERATOR, f.engine.trustedSender(IpBlock.parse(IP)).code());
        assertEquals(0, f.engine.member(1).strikes());
        assertEquals(0, f.engine.member(2).strikes());
        assertFalse(f.engine.evidenceBook().get(IpBlock.parse(IP)).volumeWaived);
        // reported anew, it goes to the moderator (ModeratorClearedAddressTest), who has a hold to
        // decide: turning it down now lists the address
        f.member(4, 30, 1.0, T0 + 4 * HOUR);
        f.spam(4, IP, T0 + 4 * HOUR);
        assertFalse(f.listed(IP, T0 + 4 * HOUR));
        assertTrue(f.engine.explain(IpBlock.parse(IP), T0 + 4 * HOUR).heldForModeration());
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)), "spam evidence again: the moderator's word ended");
        assertFalse(f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(IP), false, T0 + 5 * HOUR)).isEmpty());
        assertTrue(f.listed(IP, T0 + 5 * HOUR));
    }

    @Test
    void aSuspendedMembersVouchStopsCounting() {
        EngineFixture f = vouchedByTwoPinnedMembers();
        f.apply(new EngineEvent.MemberSuspended(2, true, T0 + 2 * HOUR));
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
    }

    @Test
    void vouchesLapseWithTheEvidenceWindowAtTheWeeklySweep() {
        EngineFixture f = vouchedByTwoPinnedMembers();
        f.apply(new EngineEvent.Tick(T0 + f.engine.config().evidenceMaxAgeMillis() + 8 * DAY));
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
    }

    /**
     * A report that can never weigh anything (an unconfirmed account's, strength 0) leaves no state
     * and decides nothing, not even what time alone changed in the allow zone: such accounts are
     * free to open, and each of their reports on a trusted address made the engine tally all its
     * reporters. The lapse shows at the weekly recheck (or the next report that counts).
     */
    @Test
    void aReportThatCannotWeighAnythingDecidesNothingAboutTheAllowZone() {
        EngineFixture f = vouchedByTwoPinnedMembers();
        long week = 7 * DAY;
        long firstRecheck = Math.floorDiv(T0, week) * week + week; // the weekly rechecks, as TrustEngine runs them
        long lapsed = T0 + HOUR + f.engine.config().evidenceMaxAgeMillis() + HOUR; // the vouches no longer count
        long secondRecheck = firstRecheck + week;
        assertTrue(firstRecheck < lapsed && lapsed < secondRecheck, "the vouches lapse between two rechecks");
        f.member(3, 10, null, lapsed);
        assertEquals(List.of(), f.report(3, IP, Verdict.SPAM, 0.0, lapsed), "an unweighed report decides nothing");
        assertNotNull(f.engine.trustedSender(IpBlock.parse(IP)), "still trusted until the weekly recheck");
        List<Decision.TrustedChanged> removed = trustedChanges(f.apply(new EngineEvent.Tick(secondRecheck)));
        assertEquals(1, removed.size());
        assertEquals(0, removed.get(0).code());
        assertNull(f.engine.trustedSender(IpBlock.parse(IP)));
    }

    @Test
    void aBlockIsNeverTrustedAsAWhole() {
        EngineFixture f = twoPinnedMembers();
        f.trusted(1, "198.51.100.0/24", T0 + HOUR);
        f.trusted(2, "198.51.100.0/24", T0 + HOUR);
        assertTrue(f.engine.trustedSenders().isEmpty());
    }

    @Test
    void aSnapshotKeepsTrustedSendersAndTheModeratorsWord() throws IOException {
        EngineFixture f = vouchedByTwoPinnedMembers();
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse("198.51.100.9"), true, T0 + HOUR));
        TrustEngine restored = EngineSnapshot.read(f.engine.config(), new DataInputStream(new ByteArrayInputStream(bytes(f.engine))));
        assertEquals(f.engine.trustedSenders(), restored.trustedSenders());
        assertEquals(TrustedSender.CODE_MODERATOR, restored.trustedSender(IpBlock.parse("198.51.100.9")).code());
        // the moderator's word is state of its own: a listing still has to end it after the restore
        restored.apply(new EngineEvent.TrapHit(IpBlock.parse("198.51.100.9"), 1, T0 + 2 * HOUR));
        restored.apply(new EngineEvent.Tick(T0 + 10 * DAY));
        assertNull(restored.trustedSender(IpBlock.parse("198.51.100.9")));
    }

    private static byte[] bytes(TrustEngine engine) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EngineSnapshot.write(engine, new DataOutputStream(out));
        return out.toByteArray();
    }

    private static EngineFixture twoPinnedMembers() {
        EngineFixture f = new EngineFixture();
        f.member(1, 1, 1.0, T0);
        f.member(2, 1, 1.0, T0);
        return f;
    }

    private static EngineFixture vouchedByTwoPinnedMembers() {
        EngineFixture f = twoPinnedMembers();
        f.trusted(1, IP, T0 + HOUR);
        f.trusted(2, IP, T0 + HOUR);
        return f;
    }

    private static List<Decision.TrustedChanged> trustedChanges(List<Decision> d) {
        return d.stream().filter(x -> x instanceof Decision.TrustedChanged).map(x -> (Decision.TrustedChanged) x).toList();
    }
}
