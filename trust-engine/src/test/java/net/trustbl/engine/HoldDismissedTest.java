package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A moderator turning down a hold (HoldDismissed) strikes nobody: the hold listed nothing, and
 * holds are where the engine doubts (a careless member's slip, a big shared sender's real spam).
 * An upheld delisting request (DelistingDecided) still strikes, and so does a dismissed hold on an
 * address that is listed all the same. The moderator's word stands as after an upheld request
 * (README rule 10): what would list the address next goes to a moderator first, and turned down
 * again it counts as the wrong listing it replaced.
 */
class HoldDismissedTest {

    private static int held(List<Decision> d) {
        return EngineFixture.of(d, Decision.HeldForModeration.class).size();
    }

    private static long cleared(List<Decision> d) {
        return EngineFixture.of(d, Decision.ReportOutcomeChanged.class).stream()
                .filter(o -> o.outcome() == ReportOutcome.CLEARED).count();
    }

    @Test
    void aDismissedHoldStrikesNobodyWhileAnUpheldDelistingDoes() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String[] known = f.sendingSince(t - 4 * DAY, 2);
        assertEquals(1, held(f.spam(1, known[0], t)), "one voice on a known sender: held");
        assertEquals(1, held(f.spam(2, known[1], t)), "the same for the other member");

        List<Decision> dismissed = f.apply(new EngineEvent.HoldDismissed(IpBlock.parse(known[0]), t + HOUR));
        assertEquals(1.0, f.engine.member(1).trust(), 1e-9, "the reporter of a dismissed hold keeps its trust");
        assertEquals(0, cleared(dismissed), "its report is not cleared (a coalition's pile keeps its signature)");
        assertFalse(f.listed(known[0], t + HOUR));

        List<Decision> delisted = f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(known[1]), true, t + HOUR));
        assertTrue(f.engine.member(2).trust() < 0.6, "the same decision as an upheld delisting strikes: " + f.engine.member(2).trust());
        assertEquals(1, cleared(delisted));
    }

    @Test
    void theHoldEndsSoThatNewEvidenceCanRaiseAnother() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String known = f.sendingSince(t - 4 * DAY, 1)[0];
        f.spam(1, known, t);
        assertTrue(f.engine.explain(IpBlock.parse(known), t).heldForModeration(), "held before");
        f.apply(new EngineEvent.HoldDismissed(IpBlock.parse(known), t + HOUR));
        assertFalse(f.engine.explain(IpBlock.parse(known), t + HOUR).heldForModeration(), "the moderator's item is closed");
        assertFalse(f.listed(known, t + HOUR));
    }

    @Test
    void aDismissedHoldOnAListedAddressEndsAsAWrongListing() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String fresh = f.freshNet();
        f.lookups(fresh, 10, t - HOUR);
        f.spam(1, fresh, t);
        assertTrue(f.listed(fresh, t), "one voice lists a new sender");
        // an established member vouches for the listed address: the engine asks a moderator
        assertEquals(1, held(f.trusted(2, fresh, t + HOUR)), "a dispute");
        List<Decision> d = f.apply(new EngineEvent.HoldDismissed(IpBlock.parse(fresh), t + 2 * HOUR));
        assertFalse(f.listed(fresh, t + 2 * HOUR), "a listing the moderator found wrong ends");
        assertTrue(f.engine.member(1).trust() < 0.6, "and its reporter is struck: " + f.engine.member(1).trust());
        assertEquals(1, cleared(d));
    }

    /** A sender known for four days, held on member 1's lone report at {@code t}, the hold turned down at {@code t + 1h}. */
    private static String heldOnMemberOneAndTurnedDown(EngineFixture f, long t) {
        String known = f.sendingSince(t - 4 * DAY, 1)[0];
        assertEquals(1, held(f.spam(1, known, t)), "one voice on a known sender: held");
        f.apply(new EngineEvent.HoldDismissed(IpBlock.parse(known), t + HOUR));
        return known;
    }

    /**
     * Once a moderator turned a hold down, a second voice that would list the known sender (two
     * long-standing members) goes to a moderator instead: a coalition's target held on its pile was
     * otherwise listed by the next careless member's slip together with a report turned down
     * before (sweep world-151-180: 5 of 35 new servers, now 2). A moderator who now finds spam
     * lists it.
     */
    @Test
    void afterATurnedDownHoldWhatWouldListTheAddressGoesToAModeratorFirst() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String known = heldOnMemberOneAndTurnedDown(f, t);

        List<Decision> second = f.spam(2, known, t + 2 * HOUR);
        assertFalse(f.listed(known, t + 2 * HOUR), "two long-standing voices no longer list it at once");
        List<Decision.HeldForModeration> held = EngineFixture.of(second, Decision.HeldForModeration.class);
        assertEquals(1, held.size(), "a moderator decides");
        assertTrue(held.get(0).reason().startsWith("a moderator found no spam here"), held.get(0).reason());

        f.apply(new EngineEvent.DelistingDecided(IpBlock.parse(known), false, t + 3 * HOUR));
        assertTrue(f.listed(known, t + 3 * HOUR), "a moderator who finds spam this time lists it");
    }

    /** Turned down a second time, that hold counts as the listing it replaced: its reporters are struck. */
    @Test
    void aSecondTurnDownStrikesTheReportsThatWouldHaveListed() {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        String known = heldOnMemberOneAndTurnedDown(f, t);
        f.spam(2, known, t + 2 * HOUR);
        assertTrue(f.engine.explain(IpBlock.parse(known), t + 2 * HOUR).heldForModeration(), "held, not listed");
        assertFalse(f.listed(known, t + 2 * HOUR));
        assertEquals(1.0, f.engine.member(2).trust(), 1e-9);

        List<Decision> d = f.apply(new EngineEvent.HoldDismissed(IpBlock.parse(known), t + 3 * HOUR));
        assertTrue(f.engine.member(2).trust() < 0.6, "struck as for a wrong listing: " + f.engine.member(2).trust());
        assertEquals(2, cleared(d), "both reports are cleared");
        assertFalse(f.listed(known, t + 3 * HOUR));
    }
}
