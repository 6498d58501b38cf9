package net.trustbl.engine;

import org.junit.jupiter.api.Test;

import static net.trustbl.engine.EngineConfig.DAY;
import static net.trustbl.engine.EngineConfig.HOUR;
import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "How listing works", rule 4: a member of two months or more that earned trust on a day
 * of its own and was never struck counts at least the trust floor on any address, though its
 * earned trust is below it. In a community that reports rarely, such accurate members are the
 * second voice an address past its first 36 hours needs (rule 6).
 */
class SeasonedMemberIsAWitnessTest {

    private static final long QUIET = 30;

    /** An established member (trust 1.0) and a quiet one {@code ageDays} old at T0 + 30 days, with one confirmation. */
    private static EngineFixture withQuietMember(double ageDays) {
        EngineFixture f = EngineFixture.trustedPair();
        long t = T0 + 30 * DAY;
        f.member(QUIET, ageDays - 30, null, T0);
        f.confirmedOnce(QUIET, t - 2 * DAY);
        double trust = f.engine.member(QUIET).trust();
        assertTrue(trust > 0.05 && trust < 0.1, "earned once: under the trust floor of 0.1, was " + trust);
        return f;
    }

    /** The established member and the quiet one report a sender receivers have looked up for 4 days. */
    private static boolean listsAKnownSender(EngineFixture f) {
        long t = T0 + 30 * DAY;
        String known = f.sendingSince(t - 4 * DAY, 1)[0];
        f.spam(1, known, t);
        assertFalse(f.listed(known, t), "one voice on a known sender goes to a moderator");
        f.spam(QUIET, known, t + HOUR);
        return f.listed(known, t + HOUR);
    }

    @Test
    void aQuietMemberOfTwoMonthsIsTheSecondVoice() {
        assertTrue(listsAKnownSender(withQuietMember(100)), "100 days old, confirmed once, never struck");
    }

    @Test
    void aYoungerQuietMemberIsNot() {
        assertFalse(listsAKnownSender(withQuietMember(45)), "45 days: its 0.07 is under the floor and counts nothing");
    }

    @Test
    void noRecordOfItsOwnNoVoice() {
        EngineFixture f = EngineFixture.trustedPair();
        f.member(QUIET, 130, null, T0); // old, but never confirmed: an aged account proves nothing
        assertFalse(listsAKnownSender(f), "an account that only aged");
    }
}
