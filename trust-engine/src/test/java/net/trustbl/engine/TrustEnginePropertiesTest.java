package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import net.trustbl.engine.Decision.Change;
import net.trustbl.engine.Decision.HeldForModeration;
import net.trustbl.engine.Decision.ListingChanged;
import net.trustbl.engine.Decision.ReportOutcomeChanged;
import net.trustbl.engine.Decision.TrustChanged;
import org.junit.jupiter.api.Test;

import java.util.List;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static net.trustbl.engine.EngineFixture.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eight properties of issue 2, each against the engine alone, as the attack-resistant rules of
 * issue 11 state them (listings lapse after 36 h, trust is earned only by independent confirmation of
 * early claims, positive reports dispute instead of clearing). The new rules themselves are proved in
 * {@link AttackResistanceTest}.
 */
class TrustEnginePropertiesTest {

    private static final String IP = "198.18.7.7".replace("198.18", "203.17"); // public, not documentation space

    // 1 -------------------------------------------------------------------------------------------

    @Test
    void twoTrustedReportersListAnAddressNobodyLooksUpOnTheSecondReport() {
        EngineFixture f = new EngineFixture(); // never looked up: the plain bar 1.0
        f.member(1, 30, 0.5, T0);
        f.member(2, 30, 0.5, T0);
        List<Decision> first = f.spam(1, IP, T0 + HOUR);
        assertTrue(of(first, ListingChanged.class).isEmpty(), "one reporter at 0.5 is not enough");
        assertFalse(f.listed(IP, T0 + HOUR));

        List<Decision> second = f.spam(2, IP, T0 + 5 * HOUR);
        List<ListingChanged> changes = of(second, ListingChanged.class);
        assertEquals(1, changes.size());
        assertEquals(Change.CREATED, changes.get(0).change());
        assertEquals(2, changes.get(0).returnCode());
        Explanation x = f.engine.explain(IpBlock.parse(IP), T0 + 5 * HOUR);
        assertTrue(x.listed());
        assertEquals(2, x.spamReports());
        assertEquals(1.0, x.score(), 1e-9);
        assertEquals(1.0, x.bar(), 1e-9);
        assertEquals(T0 + 5 * HOUR, x.listedSinceMillis());
        assertEquals(T0 + 5 * HOUR + 36 * HOUR, x.expiresAtMillis());
        assertEquals(T0 + HOUR, x.firstEvidenceMillis());
        assertTrue(x.reason().startsWith("listed"), x.reason());
        assertEquals(T0 + 5 * HOUR, x.lastEvidenceMillis());
        assertTrue(f.engine.listings().stream().anyMatch(l -> l.ip().equals(IpBlock.parse(IP)) && l.returnCode() == 2));
    }

    @Test
    void earnedTrustListsLikePinnedTrust() {
        EngineFixture f = new EngineFixture();
        // two members that earned their trust through trap-confirmed early claims on 7 days
        for (long m = 1; m <= 2; m++) {
            f.member(m, 60, null, T0);
        }
        long t = f.earnTrack(T0, 7, 1, 2);
        assertEquals(0.05 + 21 * 0.023, f.engine.member(1).trust(), 1e-9);
        assertTrue(f.engine.member(1).trust() >= 0.5);
        assertTrue(f.engine.member(2).trust() >= 0.5);
        f.spam(1, IP, t);
        assertFalse(f.listed(IP, t));
        assertTrue(of(f.spam(2, IP, t + HOUR), ListingChanged.class).stream()
                .anyMatch(l -> l.ip().equals(IpBlock.parse(IP)) && l.change() == Change.CREATED));
    }

    // 2 -------------------------------------------------------------------------------------------

    @Test
    void aThousandYoungAccountsCannotList() {
        EngineFixture f = new EngineFixture();
        long t = T0;
        for (long m = 1; m <= 1000; m++) {
            f.member(m, 2, null, t); // 2 days old
            List<Decision> d = f.spam(m, IP, t);
            assertTrue(of(d, ListingChanged.class).isEmpty());
            t += 60_000;
        }
        assertFalse(f.listed(IP, t));
        assertEquals(0, f.engine.explain(IpBlock.parse(IP), t).spamReports(), "none of them counts");
    }

    @Test
    void aThousandOldLowTrustAccountsCannotList() {
        EngineFixture f = new EngineFixture();
        long t = T0;
        for (long m = 1; m <= 1000; m++) {
            f.member(m, 400, 0.09, t); // old, but below trust 0.1 (pinned there to be exact)
            f.spam(m, IP, t);
            t += 60_000;
        }
        // a pin counts whatever the age, not whatever the trust: 0.09 stays below the floor
        assertFalse(f.listed(IP, t), "1,000 members pinned at 0.09 cannot list");
        assertEquals(0, f.engine.explain(IpBlock.parse(IP), t).spamReports(), "none of them counts");
        assertEquals(0.09, f.engine.member(7).trust(), 1e-9);
        // and the earned path below 0.1
        EngineFixture g = new EngineFixture();
        t = T0;
        for (long m = 1; m <= 1000; m++) {
            g.member(m, 400, null, t); // earned trust starts at 0.05
            g.spam(m, IP, t);
            t += 60_000;
        }
        assertFalse(g.listed(IP, t));
        assertEquals(0, g.engine.explain(IpBlock.parse(IP), t).spamReports());
        assertEquals(0.05, g.engine.member(7).trust(), 1e-9);
    }

    @Test
    void pinnedTrustCountsWhateverTheAge() {
        EngineFixture f = new EngineFixture();
        f.member(1, 0, 0.5, T0); // joined right now
        f.member(2, 0, 0.5, T0);
        f.spam(1, IP, T0);
        assertEquals(Change.CREATED, of(f.spam(2, IP, T0 + HOUR), ListingChanged.class).get(0).change());
    }

    @Test
    void youngAccountReportsDoNotCountEvenAfterTheAccountAges() {
        EngineFixture f = new EngineFixture();
        f.member(1, 30, 0.5, T0);
        for (long m = 10; m < 20; m++) {
            f.member(m, 2, null, T0);
            f.spam(m, IP, T0);
        }
        // a day later the accounts are 3 days old, but their reports were filed when young
        f.spam(1, IP, T0 + DAY + HOUR);
        assertFalse(f.listed(IP, T0 + DAY + HOUR));
    }

    // 3 -------------------------------------------------------------------------------------------

    @Test
    void confirmedReportsRaiseANewMemberToTrustedInAboutTwentySteps() {
        EngineFixture f = new EngineFixture();
        f.member(1, 8, null, T0); // old enough for its reports to count at all
        assertEquals(0.05, f.engine.member(1).trust(), 1e-9);
        f.member(100, 90, 0.5, T0); // two trusted members list the addresses independently
        f.member(101, 90, 0.5, T0);
        long t = T0;
        int reachedAt = -1;
        for (int i = 1; i <= 60; i++) {
            String ip = "203.1." + i + ".9";
            boolean listsAlone = f.engine.member(1).trust() >= 1.0;
            List<Decision> mine = f.spam(1, ip, t);
            if (listsAlone) {
                break; // at trust 1.0 a member lists on its own: nothing left to confirm independently
            }
            assertTrue(of(mine, ReportOutcomeChanged.class).isEmpty(), "pending until confirmed");
            long reportId = f.reportIds;
            double trustBefore = f.engine.member(1).trust();
            List<Decision> d = new java.util.ArrayList<>();
            if (i % 2 == 0) {
                d.addAll(f.trap(ip, 1, t + 30 * HOUR)); // traps within 48 h
            } else {
                d.addAll(f.spam(100, ip, t + 10 * HOUR));
                d.addAll(f.spam(101, ip, t + 11 * HOUR)); // listed by others (enough without member 1) within 48 h
            }
            assertTrue(of(d, ReportOutcomeChanged.class).stream()
                    .anyMatch(o -> o.reportId() == reportId && o.outcome() == ReportOutcome.CONFIRMED));
            assertEquals(trustBefore < 1.0, of(d, TrustChanged.class).stream().anyMatch(c -> c.memberId() == 1));
            if (reachedAt < 0 && f.engine.member(1).trust() >= 0.5) {
                reachedAt = i;
            }
            t += 2 * DAY;
        }
        assertTrue(reachedAt >= 15 && reachedAt <= 25, "reached 0.5 after " + reachedAt + " confirmations");
        assertEquals(1.0, f.engine.member(1).trust(), 1e-9, "capped at 1.0");
        assertTrue(f.engine.member(1).confirmedReports() >= 42);
    }

    @Test
    void lateConfirmationAndEchoingAListingEarnNothing() {
        EngineFixture f = new EngineFixture();
        f.member(1, 30, null, T0);
        f.spam(1, IP, T0);
        f.trap(IP, 1, T0 + 49 * HOUR); // too late: not within 48 h
        assertEquals(0.05, f.engine.member(1).trust(), 1e-9);

        f.trap("203.17.9.9", 10, T0 + 50 * HOUR); // listed by traps
        assertTrue(f.listed("203.17.9.9", T0 + 50 * HOUR));
        List<Decision> echo = f.spam(1, "203.17.9.9", T0 + 51 * HOUR);
        assertEquals(ReportOutcome.CONFIRMED, of(echo, ReportOutcomeChanged.class).get(0).outcome());
        assertEquals(0.05, f.engine.member(1).trust(), 1e-9);
    }

    // 4 -------------------------------------------------------------------------------------------

    @Test
    void anUpheldDelistingStrikesEveryReporterAndHalvesLaterGains() {
        EngineFixture f = new EngineFixture();
        f.member(1, 100, null, T0);
        f.member(2, 100, null, T0);
        f.member(3, 100, 0.8, T0); // pinned
        // members 1 and 2 earn some trust first
        long t = f.earnTrack(T0, 7, 1, 2);
        f.spam(1, IP, t);
        f.spam(3, IP, t + HOUR);
        assertTrue(f.listed(IP, t + HOUR));
        double before = f.engine.member(1).trust();
        assertTrue(before > 0.5);
        long reportOfOne = f.reportIds - 1;
        List<Decision> d = f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(IP), true, t + 2 * HOUR));
        ListingChanged removed = of(d, ListingChanged.class).get(0);
        assertEquals(Change.REMOVED, removed.change());
        assertFalse(f.listed(IP, t + 2 * HOUR));
        assertTrue(of(d, ReportOutcomeChanged.class).stream()
                .anyMatch(o -> o.reportId() == reportOfOne && o.outcome() == ReportOutcome.CLEARED));
        MemberTrust one = f.engine.member(1);
        assertTrue(one.trust() <= before / 2 + 1e-12, "at least half the trust is gone");
        assertEquals(1, one.strikes());
        assertEquals(0.8, f.engine.member(3).trust(), 1e-12, "pinned trust does not move");
        assertEquals(1, f.engine.member(3).strikes());

        // the next confirmed report earns half the normal gain
        double t1 = one.trust();
        String ip = "203.3.1.1";
        f.spam(1, ip, t + 3 * HOUR);
        f.trap(ip, 1, t + 4 * HOUR);
        assertEquals(0.023 / 2, f.engine.member(1).trust() - t1, 1e-9);
        // after a second strike, a quarter
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(ip), true, t + 5 * HOUR));
        double t2 = f.engine.member(1).trust();
        String ip2 = "203.3.2.2";
        f.spam(1, ip2, t + 6 * HOUR);
        f.trap(ip2, 1, t + 7 * HOUR);
        assertEquals(0.023 / 4, f.engine.member(1).trust() - t2, 1e-9);
    }

    @Test
    void struckReportersCannotRelistTheClearedAddress() {
        EngineFixture f = new EngineFixture();
        for (long m = 1; m <= 4; m++) {
            f.member(m, 100, 0.5, T0);
        }
        f.apply(new EngineEvent.TrustPinned(1, null, T0)); // back to earned trust for member 1
        f.spam(2, IP, T0);
        f.spam(3, IP, T0 + HOUR);
        assertTrue(f.listed(IP, T0 + HOUR));
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(IP), true, T0 + 2 * HOUR));
        f.spam(2, IP, T0 + 3 * HOUR);
        f.spam(3, IP, T0 + 4 * HOUR);
        assertFalse(f.listed(IP, T0 + 4 * HOUR));
        f.spam(4, IP, T0 + 5 * HOUR);
        assertFalse(f.listed(IP, T0 + 5 * HOUR), "one fresh reporter at 0.5 is still not enough");
    }

    // 5 -------------------------------------------------------------------------------------------

    @Test
    void aListingLapses36HoursAfterItsLastEvidenceUnlessRenewed() {
        EngineFixture f = new EngineFixture();
        f.member(1, 30, 0.5, T0);
        f.member(2, 30, 0.5, T0);
        f.spam(1, IP, T0);
        f.spam(2, IP, T0 + HOUR);
        assertEquals(T0 + 37 * HOUR, f.engine.explain(IpBlock.parse(IP), T0 + HOUR).expiresAtMillis());
        // renewed by another report at +20 h
        f.spam(1, IP, T0 + 20 * HOUR);
        List<Decision> at50 = f.apply(new EngineEvent.Tick(T0 + 50 * HOUR));
        assertTrue(at50.isEmpty());
        assertTrue(f.listed(IP, T0 + 50 * HOUR));
        assertEquals(T0 + 56 * HOUR, f.engine.explain(IpBlock.parse(IP), T0 + 50 * HOUR).expiresAtMillis());
        List<Decision> at57 = f.apply(new EngineEvent.Tick(T0 + 57 * HOUR));
        ListingChanged gone = of(at57, ListingChanged.class).get(0);
        assertEquals(Change.REMOVED, gone.change());
        assertEquals(T0 + 56 * HOUR, gone.atMillis(), "expired exactly when due, not when the tick came");
        assertFalse(f.listed(IP, T0 + 57 * HOUR));
        assertEquals(2, f.engine.listings().size(), "only the RFC 5782 test points are left");
    }

    @Test
    void configurableTtl() {
        EngineFixture f = new EngineFixture(EngineConfig.defaults().withListingTtlMillis(2 * HOUR));
        f.member(1, 30, 0.5, T0);
        f.member(2, 30, 0.5, T0);
        f.spam(1, IP, T0);
        f.spam(2, IP, T0);
        f.apply(new EngineEvent.Tick(T0 + 2 * HOUR - 1));
        assertTrue(f.listed(IP, T0 + 2 * HOUR - 1));
        f.apply(new EngineEvent.Tick(T0 + 2 * HOUR));
        assertFalse(f.listed(IP, T0 + 2 * HOUR));
    }

    @Test
    void evidenceWeighsLessWithAgeAndNothingAfterAWeek() {
        EngineFixture f = new EngineFixture();
        f.member(1, 30, 0.5, T0);
        f.member(2, 30, 0.5, T0);
        f.spam(1, IP, T0);
        IpBlock ip = IpBlock.parse(IP);
        assertEquals(0.5, f.engine.explain(ip, T0 + 23 * HOUR).score(), 1e-9);
        assertEquals(0.5 * 0.625, f.engine.explain(ip, T0 + 36 * HOUR).score(), 1e-9);
        assertEquals(0.5 * 0.25, f.engine.explain(ip, T0 + 5 * DAY).score(), 1e-9);
        assertEquals(0, f.engine.explain(ip, T0 + 8 * DAY).score(), 1e-9);
        // a second report 3 days later does not list: the first one has decayed
        f.spam(2, IP, T0 + 3 * DAY);
        assertFalse(f.listed(IP, T0 + 3 * DAY));
    }

    @Test
    void resultsDoNotDependOnTickRate() {
        String[] runs = new String[2];
        for (int run = 0; run < 2; run++) {
            EngineFixture f = new EngineFixture();
            StringBuilder log = new StringBuilder();
            f.member(1, 30, 0.5, T0);
            f.member(2, 30, 0.5, T0);
            long t = T0;
            for (int i = 0; i < 50; i++) {
                String ip = "203.17." + (i + 1) + ".1";
                f.spam(1, ip, t);
                f.spam(2, ip, t + HOUR);
                t += 7 * HOUR;
                if (run == 1) {
                    for (long k = t - 7 * HOUR; k < t; k += 60_000) {
                        f.apply(new EngineEvent.Tick(k));
                    }
                }
            }
            f.apply(new EngineEvent.Tick(t + 3 * DAY));
            for (Decision d : f.decisions) {
                if (d instanceof ListingChanged l) {
                    log.append(l.ip()).append(l.change()).append(l.atMillis()).append('\n');
                }
            }
            runs[run] = log.toString();
        }
        assertEquals(runs[0], runs[1]);
        assertTrue(runs[0].contains("REMOVED"));
    }

    // 6 -------------------------------------------------------------------------------------------

    @Test
    void aBigSharedSenderIsHeldForModerationNotListed() {
        EngineFixture f = new EngineFixture();
        IpBlock big = IpBlock.parse(IP);
        // busy for a month: the growth cap (2x a day) has long let the bar follow the volume
        long t = f.dailyLookups(IP, 50_000, T0 - 30 * DAY, 30) + HOUR;
        for (long m = 1; m <= 5; m++) {
            f.member(m, 100, 0.8, t);
        }
        int held = 0;
        for (long m = 1; m <= 5; m++) {
            List<Decision> d = f.spam(m, IP, t + m * HOUR);
            assertTrue(of(d, ListingChanged.class).isEmpty());
            held += of(d, HeldForModeration.class).size();
        }
        assertEquals(1, held, "held once, not on every report");
        Explanation x = f.engine.explain(big, t + 6 * HOUR);
        assertFalse(x.listed());
        assertTrue(x.heldForModeration());
        assertTrue(x.reason().startsWith("held for a moderator"), x.reason());
        assertTrue(x.bar() > 10 && x.lookups() > 100_000, x.toString());

        // a moderator who finds the evidence right lists it (the volume bar and the hold are waived)
        List<Decision> d = f.apply(new EngineEvent.DelistingDecided(big, false, t + 7 * HOUR));
        assertEquals(Change.CREATED, of(d, ListingChanged.class).get(0).change());
    }

    @Test
    void volumeDoesNotStopASpamSourceWithManyReportsPerLookup() {
        EngineFixture f = new EngineFixture();
        IpBlock ip = IpBlock.parse(IP);
        // a new sender that got busy within days (no clean record yet): its bar grew with the lookups
        long t = f.dailyLookups(IP, 10_000, T0 - 2 * DAY, 3) + HOUR;
        double bar = f.engine.explain(ip, t).bar();
        assertTrue(bar > 0.1 * 2 && bar < 1.0, "volume raised the fresh bar 0.1: " + bar);
        for (long m = 1; m <= 4; m++) {
            f.member(m, 100, 0.8, t);
            f.spam(m, IP, t + m);
        }
        assertTrue(f.listed(IP, t + 10), "many reports per lookup still list");
        assertEquals(bar, f.engine.explain(ip, t + 10).bar(), 1e-3);
    }

    // 7 -------------------------------------------------------------------------------------------

    @Test
    void positiveReportsNeitherSubtractNorClearButOpenOneDisputePerListing() {
        EngineFixture f = new EngineFixture();
        for (long m = 1; m <= 5; m++) {
            f.member(m, 100, 0.6, T0);
        }
        f.member(9, 100, null, T0); // earned trust 0.05: too low to matter
        IpBlock ip = IpBlock.parse(IP);
        f.spam(1, IP, T0);
        f.trusted(3, IP, T0 + HOUR);
        assertEquals(0.6, f.engine.explain(ip, T0 + HOUR).score(), 1e-9, "vouching subtracts nothing");
        assertEquals(1, f.engine.explain(ip, T0 + HOUR).positiveReports());
        f.spam(2, IP, T0 + 2 * HOUR);
        assertTrue(f.listed(IP, T0 + 2 * HOUR), "0.6 + 0.6 lists despite 0.6 of positive weight");

        String other = "203.17.8.8";
        f.spam(1, other, T0);
        f.spam(2, other, T0 + HOUR);
        assertTrue(f.listed(other, T0 + HOUR));
        assertTrue(of(f.trusted(9, other, T0 + 2 * HOUR), HeldForModeration.class).isEmpty(), "an untrusted positive report changes nothing");
        assertTrue(of(f.trusted(3, other, T0 + 3 * HOUR), HeldForModeration.class).isEmpty(), "0.6 established positive weight is below 1.0");
        List<Decision> d = f.trusted(4, other, T0 + 4 * HOUR);
        List<HeldForModeration> disputes = of(d, HeldForModeration.class);
        assertEquals(1, disputes.size());
        assertTrue(disputes.get(0).reason().startsWith("disputed"), disputes.get(0).reason());
        assertTrue(of(d, ListingChanged.class).isEmpty(), "the listing stays");
        assertTrue(f.listed(other, T0 + 4 * HOUR));
        assertTrue(of(d, ReportOutcomeChanged.class).isEmpty(), "no report is cleared");
        assertEquals(0, f.engine.member(1).strikes(), "no honest reporter is struck");
        assertEquals(0, f.engine.member(2).strikes());
        assertTrue(of(f.trusted(5, other, T0 + 5 * HOUR), HeldForModeration.class).isEmpty(), "once per listing");
    }

    @Test
    void aDisputedListingStrikesItsEarnedReportersOnlyWhenAModeratorUpholdsTheDelisting() {
        EngineFixture f = new EngineFixture();
        f.member(1, 100, null, T0);
        f.member(2, 100, null, T0);
        long t = f.earnTrack(T0, 7, 1, 2);
        f.spam(1, IP, t);
        f.spam(2, IP, t + HOUR);
        assertTrue(f.listed(IP, t + HOUR));
        double before = f.engine.member(1).trust();
        assertTrue(before >= 0.5, "earned, not pinned: " + before);
        assertFalse(f.engine.member(1).pinned());
        for (long m = 3; m <= 5; m++) {
            f.member(m, 100, 0.6, t);
        }
        f.trusted(3, IP, t + 2 * HOUR);
        List<Decision> d = f.trusted(4, IP, t + 2 * HOUR);
        assertTrue(of(d, HeldForModeration.class).get(0).reason().startsWith("disputed"));
        f.trusted(5, IP, t + 3 * HOUR);
        assertTrue(f.listed(IP, t + 3 * HOUR), "1.8 positive weight does not clear it");
        assertTrue(of(f.decisions, TrustChanged.class).stream().noneMatch(c -> c.atMillis() > t + HOUR));
        assertEquals(before, f.engine.member(1).trust(), 1e-12);

        d = f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(IP), true, t + 4 * HOUR));
        assertEquals(Change.REMOVED, of(d, ListingChanged.class).get(0).change());
        assertFalse(f.listed(IP, t + 4 * HOUR));
        MemberTrust one = f.engine.member(1);
        assertEquals(before / 2, one.trust(), 1e-12);
        assertEquals(1, one.strikes());
        assertTrue(of(d, TrustChanged.class).stream().anyMatch(c -> c.memberId() == 1 && c.newTrust() <= before / 2 + 1e-12));
        assertEquals(0, f.engine.member(3).strikes(), "vouchers that were right are not struck");
    }

    // trap hits submitted by members ------------------------------------------------------------

    private List<Decision> memberTrap(EngineFixture f, long member, String ip, int hits, long at) {
        return f.apply(new EngineEvent.TrapHit(IpBlock.parse(ip), hits, member, at));
    }

    @Test
    void aMemberBelowFullTrustCannotListAloneThroughTrapHits() {
        EngineFixture f = new EngineFixture();
        f.member(1, 100, 0.9, T0);
        for (int i = 0; i < 200; i++) {
            memberTrap(f, 1, IP, 5, T0 + i * 60_000L);
        }
        Explanation x = f.engine.explain(IpBlock.parse(IP), T0 + HOUR);
        assertFalse(x.listed(), "however many hits, one member's trap feed weighs at most its trust");
        assertEquals(0.9, x.score(), 1e-9);
        // its own spam report on top adds nothing: a member counts once per address
        f.spam(1, IP, T0 + 2 * HOUR);
        assertFalse(f.listed(IP, T0 + 2 * HOUR));
        assertEquals(0.9, f.engine.explain(IpBlock.parse(IP), T0 + 2 * HOUR).score(), 1e-9);
        // a second trusted member's evidence completes it
        f.member(2, 100, 0.5, T0);
        f.spam(2, IP, T0 + 3 * HOUR);
        assertTrue(f.listed(IP, T0 + 3 * HOUR));
        assertEquals(3, f.engine.explain(IpBlock.parse(IP), T0 + 3 * HOUR).returnCode());
    }

    @Test
    void untrustedYoungOrSuspendedTrapFeedsCountNothing() {
        EngineFixture f = new EngineFixture();
        f.member(1, 100, null, T0); // earned trust 0.05, below the floor
        f.member(2, 2, null, T0);   // too young
        for (int i = 0; i < 50; i++) {
            memberTrap(f, 1, IP, 10, T0 + i);
            memberTrap(f, 2, IP, 10, T0 + i);
        }
        Explanation x = f.engine.explain(IpBlock.parse(IP), T0 + HOUR);
        assertEquals(0, x.score(), 1e-9);
        assertEquals(0, x.trapHits());
        assertFalse(x.listed());
    }

    @Test
    void aFullyTrustedTrapFeedAndTheOperatorsTrapsListAlone() {
        EngineFixture f = new EngineFixture();
        f.member(1, 0, 1.0, T0); // an admin-pinned trap feed
        List<Decision> d = memberTrap(f, 1, IP, 1, T0);
        assertEquals(Change.CREATED, of(d, ListingChanged.class).get(0).change());
        assertEquals(3, of(d, ListingChanged.class).get(0).returnCode());
        // the operator's own trap network (no submitter) keeps full weight per hit
        EngineFixture g = new EngineFixture();
        assertEquals(Change.CREATED, of(g.trap(IP, 1, T0), ListingChanged.class).get(0).change());
    }

    @Test
    void aMembersTrapHitsDoNotConfirmReportsOnTheirOwn() {
        EngineFixture f = new EngineFixture();
        f.member(1, 100, 0.4, T0);
        f.member(2, 100, null, T0);
        f.spam(2, IP, T0);
        List<Decision> d = memberTrap(f, 1, IP, 3, T0 + HOUR);
        assertTrue(of(d, ReportOutcomeChanged.class).isEmpty(), "a member's word is not independent evidence");
        assertEquals(0.05, f.engine.member(2).trust(), 1e-9);
    }

    @Test
    void aClearedListingStrikesTheMembersWhoseTrapFeedsSupportedIt() {
        EngineFixture f = new EngineFixture();
        f.member(1, 100, null, T0);
        f.member(2, 100, 0.6, T0);
        f.member(3, 100, null, T0);
        long t = f.earnTrack(T0, 7, 1, 3);
        double before = f.engine.member(1).trust();
        assertTrue(before >= 0.5);
        memberTrap(f, 1, IP, 4, t);
        f.spam(2, IP, t + HOUR);
        assertTrue(f.listed(IP, t + HOUR));
        List<Decision> d = f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(IP), true, t + 2 * HOUR));
        assertEquals(Change.REMOVED, of(d, ListingChanged.class).get(0).change());
        MemberTrust one = f.engine.member(1);
        assertEquals(1, one.strikes(), "the trap submitter is struck like a reporter");
        assertTrue(one.trust() <= before / 2 + 1e-12);
        assertEquals(1, f.engine.member(2).strikes());
        // struck on this address: its later trap hits here count nothing
        memberTrap(f, 1, IP, 4, t + 3 * HOUR);
        assertEquals(0, f.engine.explain(IpBlock.parse(IP), t + 3 * HOUR).trapHits());
        // a later suspension of a trap feeder re-judges what it supported
        String other = "203.17.9.9";
        f.member(4, 100, 0.6, t);
        f.member(5, 100, 0.6, t);
        memberTrap(f, 4, other, 1, t + 4 * HOUR);
        f.spam(5, other, t + 4 * HOUR);
        assertTrue(f.listed(other, t + 4 * HOUR));
        f.apply(new EngineEvent.MemberSuspended(4, true, t + 5 * HOUR));
        assertFalse(f.listed(other, t + 5 * HOUR));
    }

    @Test
    void allowRangesAreNeverListed() {
        EngineConfig c = EngineConfig.defaults().withAllowRanges(List.of(IpBlock.parse("203.17.0.0/16")));
        EngineFixture f = new EngineFixture(c);
        f.member(1, 100, 1.0, T0);
        f.member(2, 100, 1.0, T0);
        f.spam(1, IP, T0);
        f.spam(2, IP, T0);
        f.trap(IP, 100, T0);
        f.spam(1, "203.17.0.0/24", T0);
        f.spam(2, "203.17.0.0/24", T0);
        assertFalse(f.listed(IP, T0));
        assertEquals("never listed: operator allow range", f.engine.explain(IpBlock.parse(IP), T0).reason());
        assertEquals("never listed: operator allow range", f.engine.explain(IpBlock.parse("203.17.99.99"), T0).reason());
        assertFalse(f.listed("203.17.0.0/24", T0));
        assertTrue(of(f.decisions, ListingChanged.class).isEmpty());
        f.spam(1, "203.16.255.0/24", T0);
        f.spam(2, "203.16.255.0/24", T0);
        assertTrue(f.listed("203.16.255.0/24", T0), "outside the allow range");
    }

    // 8 -------------------------------------------------------------------------------------------

    @Test
    void rfc5782TestPoints() {
        EngineFixture f = new EngineFixture();
        IpBlock two = IpBlock.parse("127.0.0.2");
        IpBlock one = IpBlock.parse("127.0.0.1");
        Explanation x = f.engine.explain(two, T0);
        assertTrue(x.listed());
        assertEquals(2, x.returnCode());
        assertEquals(0, x.expiresAtMillis(), "never expires");
        assertEquals(two, f.engine.listings().get(0).ip());
        assertTrue(f.engine.listings().stream().anyMatch(l -> l.ip().equals(IpBlock.parse("::ffff:127.0.0.2"))));

        f.member(1, 100, 1.0, T0);
        f.member(2, 100, 1.0, T0);
        f.spam(1, "127.0.0.1", T0);
        f.spam(2, "127.0.0.1", T0);
        f.trap("127.0.0.1", 1000, T0);
        f.trusted(1, "127.0.0.2", T0);
        f.trusted(2, "127.0.0.2", T0);
        f.apply(new EngineEvent.DelistingDecided(two, true, T0 + HOUR));
        f.apply(new EngineEvent.Tick(T0 + 30 * DAY));
        assertFalse(f.engine.explain(one, T0 + 30 * DAY).listed());
        assertFalse(f.engine.isListed(one));
        assertTrue(f.engine.explain(two, T0 + 30 * DAY).listed());
        assertEquals(2, f.engine.explain(two, T0 + 30 * DAY).returnCode());
        assertTrue(of(f.decisions, ListingChanged.class).isEmpty());
    }

    // other rules ----------------------------------------------------------------------------------

    @Test
    void trapEvidenceGivesCodeThree() {
        EngineFixture f = new EngineFixture();
        f.member(1, 30, 0.5, T0);
        f.member(2, 30, 0.5, T0);
        f.spam(1, IP, T0);
        f.spam(2, IP, T0);
        assertEquals(2, f.engine.explain(IpBlock.parse(IP), T0).returnCode());
        List<ListingChanged> d = of(f.trap(IP, 1, T0 + HOUR), ListingChanged.class);
        assertEquals(Change.RAISED, d.get(0).change());
        assertEquals(3, d.get(0).returnCode());
        assertEquals(1, f.engine.explain(IpBlock.parse(IP), T0 + HOUR).trapHits());

        List<ListingChanged> t = of(f.trap("203.17.5.5", 1, T0), ListingChanged.class);
        assertEquals(3, t.get(0).returnCode(), "a fresh trap hit on a quiet address lists it");
    }

    @Test
    void blockReportsListTheBlockAndSingleReportsInsideCount() {
        EngineFixture f = new EngineFixture();
        f.member(1, 30, 0.5, T0);
        f.member(2, 30, 0.5, T0);
        f.member(3, 8, null, T0); // earned trust 0.05: its report weighs nothing, but it is kept
        f.spam(1, "203.17.44.0/24", T0);
        List<ListingChanged> d = of(f.spam(2, "203.17.44.0/24", T0), ListingChanged.class);
        assertEquals(IpBlock.parse("203.17.44.0/24"), d.get(0).ip());
        assertTrue(f.listed("203.17.44.9", T0), "an address inside a listed block is listed");
        assertFalse(f.listed("203.17.45.9", T0));
        List<Decision> inside = f.spam(3, "203.17.44.9", T0 + HOUR);
        assertEquals(ReportOutcome.CONFIRMED, of(inside, ReportOutcomeChanged.class).get(0).outcome());
        Explanation x = f.engine.explain(IpBlock.parse("203.17.44.9"), T0 + HOUR);
        assertEquals(2, x.returnCode());
        assertEquals(2, x.spamReports(), "the address is explained by the block's listing");
        // over-wide blocks are never listed
        f.spam(1, "203.18.0.0/16", T0 + HOUR);
        f.spam(2, "203.18.0.0/16", T0 + HOUR);
        assertFalse(f.listed("203.18.0.0/16", T0 + HOUR));
    }

    @Test
    void snowshoeSpreadListsTheWholeNetwork() {
        EngineFixture f = new EngineFixture();
        for (int i = 1; i <= 4; i++) {
            f.trap("203.17.60." + i, 2, T0 + i);
        }
        assertTrue(f.listed("203.17.60.0/24", T0 + 10));
        assertTrue(f.listed("203.17.60.200", T0 + 10));
        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse("203.17.60.200"), true, T0 + HOUR));
        assertFalse(f.listed("203.17.60.200", T0 + HOUR));
        assertTrue(f.listed("203.17.60.1", T0 + HOUR), "the listed sources themselves stay listed");
        f.trap("203.17.60.9", 2, T0 + 2 * HOUR);
        assertFalse(f.listed("203.17.60.0/24", T0 + 2 * HOUR), "a vetoed block is not escalated again");
    }

    @Test
    void suspendedMembersStopCounting() {
        EngineFixture f = new EngineFixture();
        f.member(1, 30, 0.5, T0);
        f.member(2, 30, 0.5, T0);
        f.spam(1, IP, T0);
        f.spam(2, IP, T0);
        assertTrue(f.listed(IP, T0));
        List<Decision> d = f.apply(new EngineEvent.MemberSuspended(2, true, T0 + HOUR));
        assertEquals(Change.REMOVED, of(d, ListingChanged.class).get(0).change());
        assertTrue(f.engine.member(2).suspended());
        f.spam(2, "203.17.3.3", T0 + 2 * HOUR);
        f.spam(1, "203.17.3.3", T0 + 2 * HOUR);
        assertFalse(f.listed("203.17.3.3", T0 + 2 * HOUR));
    }

    @Test
    void unknownReporterIsANewMemberAndDuplicatesCountOnce() {
        EngineFixture f = new EngineFixture();
        assertNotNull(f.spam(77, IP, T0));
        MemberTrust m = f.engine.member(77);
        assertEquals(T0, m.joinedAtMillis());
        assertEquals(0.05, m.trust(), 1e-9);
        f.member(1, 30, 0.9, T0);
        f.spam(1, IP, T0);
        f.spam(1, IP, T0 + HOUR);
        f.spam(1, IP, T0 + 2 * HOUR);
        assertFalse(f.listed(IP, T0 + 2 * HOUR), "one member counts once");
        assertEquals(0.9, f.engine.explain(IpBlock.parse(IP), T0 + 2 * HOUR).score(), 1e-9);
        assertEquals(null, f.engine.member(4242));
    }

    @Test
    void idleAddressesAreForgottenButEvidenceIsKept() {
        EngineFixture f = new EngineFixture();
        for (int i = 0; i < 10_000; i++) {
            f.apply(new EngineEvent.TrafficObserved(IpBlock.ofV4(0x2d000000 + i, 32), 3, T0));
        }
        f.member(1, 30, 0.3, T0);
        f.spam(1, IP, T0);
        assertEquals(10_001, f.engine.trackedAddresses());
        f.apply(new EngineEvent.Tick(T0 + 8 * DAY));
        assertEquals(1, f.engine.trackedAddresses(), "only the address with a report left");
        f.apply(new EngineEvent.Tick(T0 + 16 * DAY));
        assertEquals(0, f.engine.trackedAddresses());
        assertFalse(f.listed(IP, T0 + 16 * DAY));
    }

    @Test
    void oddTimesAndInputsNeverBreakTheEngine() {
        EngineFixture f = new EngineFixture();
        f.member(1, 30, 0.5, T0);
        f.member(2, 30, 0.5, T0);
        f.spam(1, IP, T0);
        f.spam(2, IP, T0 - 5 * DAY); // late event: counts as now
        assertTrue(f.listed(IP, T0));
        f.apply(new EngineEvent.Tick(Long.MAX_VALUE / 2)); // a far jump returns at once
        assertFalse(f.engine.isListed(IpBlock.parse(IP)));
        f.apply(new EngineEvent.ReportFiled(1, 1, IpBlock.parse(IP), Verdict.SPAM, Double.NaN, Long.MAX_VALUE / 2));
        f.apply(new EngineEvent.TrapHit(IpBlock.parse(IP), -3, Long.MAX_VALUE / 2));
        f.apply(new EngineEvent.TrafficObserved(IpBlock.parse(IP), -10, Long.MAX_VALUE / 2));
        f.apply(new EngineEvent.TrustPinned(99, 7.0, Long.MAX_VALUE / 2));
        assertEquals(1.0, f.engine.member(99).trust(), "pins are clamped to 0..1");
        assertFalse(f.engine.isListed(IpBlock.parse(IP)));
    }

    @Test
    void replayReproducesTheSameListings() {
        List<EngineEvent> events = new java.util.ArrayList<>();
        java.util.Random rnd = new java.util.Random(7);
        long t = T0;
        for (long m = 1; m <= 30; m++) {
            events.add(new EngineEvent.MemberJoined(m, t - rnd.nextInt(40) * DAY));
        }
        events.add(new EngineEvent.TrustPinned(1, 0.7, t));
        for (int i = 0; i < 5000; i++) {
            t += rnd.nextInt(600_000);
            IpBlock ip = IpBlock.parse("203.17." + rnd.nextInt(4) + "." + (1 + rnd.nextInt(40)));
            switch (rnd.nextInt(5)) {
                case 0, 1 -> events.add(new EngineEvent.ReportFiled(i, 1 + rnd.nextInt(30), ip,
                        rnd.nextInt(8) == 0 ? Verdict.TRUSTED : Verdict.SPAM, 1.0, t));
                case 2 -> events.add(new EngineEvent.TrapHit(ip, 1, t));
                case 3 -> events.add(new EngineEvent.TrafficObserved(ip, rnd.nextInt(5000), t));
                default -> events.add(new EngineEvent.DelistingDecided(ip, rnd.nextBoolean(), t));
            }
        }
        TrustEngine a = new TrustEngine(EngineConfig.defaults());
        TrustEngine b = new TrustEngine(EngineConfig.defaults());
        List<Decision> da = new java.util.ArrayList<>();
        List<Decision> db = new java.util.ArrayList<>();
        for (EngineEvent e : events) {
            a.apply(e, da::add);
        }
        for (EngineEvent e : events) {
            b.apply(e, db::add);
        }
        assertEquals(da, db);
        assertEquals(a.listings(), b.listings());
        assertTrue(da.size() > 100);
    }
}
