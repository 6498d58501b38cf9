package net.trustbl.engine;

import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 4: a coalition's target goes to a moderator only while it still
 * looks like one, its reports more than its lookups explain. Once receivers look it up
 * like the spam it is, members outside the coalition list it as on any new sender; otherwise a
 * spammer's burned accounts, piled onto each new source at its first lookup, would shield it from
 * members' reports for a month (coalitionTargetHoldMillis).
 */
class CoalitionTargetShieldTest {

    private static final long MIN = 60_000L;

    /**
     * Members 1-10 opened within three days of each other, 20 days ago, each with one confirmed
     * report (their new-sender voice); members 20 and 21, 40 days old with five days of confirmed
     * reports: established, not long-standing.
     */
    private static EngineFixture community() {
        return community(EngineConfig.defaults());
    }

    private static EngineFixture community(EngineConfig config) {
        EngineFixture f = new EngineFixture(config);
        for (long m = 1; m <= 10; m++) {
            f.member(m, 20 + m * 0.3, null, T0);
        }
        f.member(20, 40, null, T0);
        f.member(21, 41, null, T0);
        f.earnTrack(T0 - 12 * DAY, 5, 20, 21);
        for (long m = 1; m <= 10; m++) {
            f.confirmedOnce(m, T0 - DAY + m);
        }
        return f;
    }

    /** Members 1-10 report {@code ip} minutes after its first two lookups: the coalition's signature. */
    private static void pileOn(EngineFixture f, String ip) {
        f.lookups(ip, 2, T0);
        for (long m = 1; m <= 10; m++) {
            f.spam(m, ip, T0 + 5 * MIN + m);
        }
    }

    @Test
    void aSpamSourceTheCoalitionPiledOntoIsListedOnceItsLookupsExplainTheReports() {
        EngineFixture f = community();
        String source = f.freshNet();
        pileOn(f, source);
        assertFalse(f.listed(source, T0 + HOUR), "ten accounts on an address looked up twice: the mark of a coalition");
        for (int h = 1; h <= 6; h++) {
            f.lookups(source, 15, T0 + h * HOUR); // 15 an hour: spam's pace, under the bulk-mail rate (rule 4)
        }
        f.spam(20, source, T0 + 6 * HOUR + 1);
        assertTrue(f.listed(source, T0 + 6 * HOUR + 1),
                "92 lookups explain eleven reports: an established member's report lists it as on any new sender");
    }

    /**
     * Whether members 20 and 21's reports list a server the coalition piled onto two days before,
     * which drew a lookup a day and {@code ownLookups} hourly lookups from one network (the attacker's own) on the first day.
     */
    private static boolean twoMembersListTheTarget(EngineFixture f, int ownLookups) {
        String server = f.freshNet();
        pileOn(f, server);
        for (int h = 1; h <= ownLookups; h++) {
            f.lookups(server, 1, T0 + h * HOUR);
        }
        f.lookups(server, 1, T0 + DAY);
        f.lookups(server, 1, T0 + 2 * DAY);
        f.spam(20, server, T0 + 2 * DAY + 1);
        f.spam(21, server, T0 + 2 * DAY + 2);
        return f.listed(server, T0 + 2 * DAY + 2);
    }

    @Test
    void aQuietTargetStaysWithTheModerator() {
        assertFalse(twoMembersListTheTarget(community(), 0),
                "twelve reports where four lookups explain two at most: still a victim, members' reports go to a moderator");
        EngineFixture unprotected = community(EngineConfig.defaults().withValue("coalitionTargetHoldMillis", 0L));
        assertTrue(twoMembersListTheTarget(unprotected, 0),
                "without the hold two established members list a sender past its first days (rule 4's two voices)");
    }

    @Test
    void lookupsAnAttackerCanMakeItselfDoNotLiftTheHold() {
        assertFalse(twoMembersListTheTarget(community(), 10),
                "twelve reports against fourteen lookups: more than 1.5 per lookup no longer, but still more than they explain");
    }
}
