package net.trustbl.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An address receivers have looked up for days (no longer a new sender) is listed on members'
 * reports only when two members outside any coalition report it, or a trap hit or a pinned
 * member supports it; one member's word, even at trust 1.0, goes to a moderator. A careless
 * member's slip about a server it happens to receive mail from must not list that server.
 */
class KnownSenderNeedsTwoVoicesTest {

    private static List<Decision.HeldForModeration> held(List<Decision> d) {
        return EngineFixture.of(d, Decision.HeldForModeration.class);
    }

    private static boolean created(List<Decision> d) {
        return EngineFixture.of(d, Decision.ListingChanged.class).stream()
                .anyMatch(c -> c.change() == Decision.Change.CREATED);
    }

    @Test
    void oneFullyTrustedMembersReportOnAKnownSenderGoesToAModerator() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        assertEquals(1.0, f.engine.member(1).trust(), 1e-9, "the reporter's own trust reaches the bar");
        String known = f.sendingSince(t - 4 * DAY, 1)[0];
        List<Decision> d = f.spam(1, known, t);
        assertFalse(f.listed(known, t), "one voice on a sender known for 4 days");
        assertEquals(1, held(d).size(), "a moderator is asked instead");
        assertTrue(held(d).get(0).reason().contains("fewer than 2 members"), held(d).get(0).reason());
        String page = f.engine.explain(net.trustbl.address.IpBlock.parse(known), t).reason();
        assertTrue(page.startsWith("held for a moderator") && !page.contains("volume"),
                "the lookup page names no rule that did not hold it: " + page);

        assertTrue(created(f.spam(2, known, t + HOUR)), "a second member's report lists it");
    }

    /**
     * A small server mailing a few receivers draws about one counted lookup a day. Each such day
     * counts toward its clean record (one lookup, not two: with two, a quiet server looked up for
     * weeks kept the fresh bar of a new spam source, and two turncoat members listed it, red-team
     * scenario a1b-turncoat-quiet-inrange of 12-07: 10 of 10 targets, with parameters inside the
     * sweep's ranges).
     */
    @Test
    void aQuietServerLookedUpOnceADayForAWeekHasACleanRecordThatTwoVoicesDoNotList() {
        EngineFixture f = EngineFixture.trustedPair(); // its track record runs to day 25
        long t = T0 + 40 * DAY;
        String quiet = f.freshNet();
        for (int day = 8; day >= 1; day--) {
            f.lookups(quiet, 1, t - day * DAY);
        }
        f.spam(1, quiet, t);
        f.spam(2, quiet, t + HOUR);
        assertFalse(f.listed(quiet, t + HOUR), "two members' word on a server with a week of clean days");
        assertTrue(f.engine.explain(net.trustbl.address.IpBlock.parse(quiet), t + HOUR).reason().contains("clean history"),
                f.engine.explain(net.trustbl.address.IpBlock.parse(quiet), t + HOUR).reason());
        f.trap(quiet, 1, t + 2 * HOUR);
        assertTrue(f.listed(quiet, t + 2 * HOUR), "a hit on the operator's traps wipes the record of a quiet address");
    }

    @Test
    void aTrapHitOrAPinnedReporterStillListsAKnownSenderOnOneReport() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String[] known = f.sendingSince(t - 4 * DAY, 2);
        f.spam(1, known[0], t);
        f.trap(known[0], 1, t + HOUR);
        assertTrue(f.listed(known[0], t + HOUR), "report and trap hit");

        f.member(9, 400, 1.0, t);
        assertTrue(created(f.spam(9, known[1], t + HOUR)), "a member the operator pinned");
    }

    @Test
    void oneVoiceStillListsANewSender() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String fresh = f.freshNet();
        f.lookups(fresh, 10, t - HOUR); // first looked up an hour ago: a new sender (rule 4)
        assertTrue(created(f.spam(1, fresh, t)), "one report lists new spam, as on SpamCop's list");
    }

    /**
     * A new sender's one-voice window is 36 hours from its first lookup: real spam's first report
     * mostly comes within hours, while a careless member's slip about a new legitimate server
     * came 17-54 hours after its first mail in the sweep (world-9-37).
     */
    @Test
    void oneVoiceListsANewSenderFor36HoursFromItsFirstLookup() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String young = f.freshNet();
        String older = f.freshNet();
        f.lookups(older, 10, t - 40 * HOUR); // in time order: the engine clamps times that go back
        f.lookups(young, 10, t - 30 * HOUR);
        f.lookups(young, 10, t - HOUR);
        f.lookups(older, 10, t - HOUR);
        assertTrue(created(f.spam(1, young, t)), "first looked up 30 hours ago: still a new sender");
        List<Decision> d = f.spam(1, older, t);
        assertFalse(f.listed(older, t), "first looked up 40 hours ago: a known sender needs two voices");
        assertEquals(1, held(d).size(), "a moderator is asked instead");
    }

    @Test
    void oneVoiceStillListsAnAddressNeverLookedUpWhereLookupsAreNotCounted() {
        EngineFixture f = EngineFixture.trustedPair(); // no lookups at all: a deployment served only by mirrors
        long t = T0 + 30 * DAY;
        assertTrue(created(f.spam(1, f.freshNet(), t)));
    }

    @Test
    void oneMemberIsEnoughWhenTheOperatorSetsIt() {
        EngineFixture f = new EngineFixture(EngineConfig.defaults().withValue("minReportersToList", 1));
        f.member(1, 400, null, T0);
        f.earnTrack(T0, 25, 1);
        long t = T0 + 30 * DAY;
        String known = f.sendingSince(t - 4 * DAY, 1)[0];
        assertTrue(created(f.spam(1, known, t)));
    }
}
