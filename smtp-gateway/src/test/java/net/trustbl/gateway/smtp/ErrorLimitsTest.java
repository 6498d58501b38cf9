package net.trustbl.gateway.smtp;

import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.protocol.Reply;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Postfix's error limits: errors delay and end a session, valid recipients and early 452s do not. */
class ErrorLimitsTest {

    static GatewayConfig.Tarpit tarpit(int soft, int hard, long sleepMillis, double multiplier, long maxMillis) {
        return new GatewayConfig.Tarpit() {
            public int softErrorLimit() {
                return soft;
            }

            public int hardErrorLimit() {
                return hard;
            }

            public Duration errorSleepTime() {
                return Duration.ofMillis(sleepMillis);
            }

            public double multiplier() {
                return multiplier;
            }

            public Duration maxDelay() {
                return Duration.ofMillis(maxMillis);
            }
        };
    }

    private static final Reply OK = Reply.of(250, "2.1.5", "Ok");
    private static final Reply UNKNOWN = Reply.of(550, "5.1.1", "user unknown");
    private static final Reply TOO_MANY = Reply.of(452, "4.5.3", "Too many recipients");

    @Test
    void validRecipientsNeverCountNorDelay() {
        ErrorLimits limits = new ErrorLimits(tarpit(10, 20, 1000, 1.0, 60_000), 1000);
        for (int i = 0; i < 10_000; i++) {
            assertFalse(limits.count(OK));
        }
        assertEquals(0, limits.delayMillis());
    }

    @Test
    void fromTheSoftLimitEveryReplyWaitsAndTheHardLimitEndsTheSession() {
        ErrorLimits limits = new ErrorLimits(tarpit(10, 20, 1000, 1.0, 60_000), 1000);
        for (int i = 1; i < 10; i++) {
            assertFalse(limits.count(UNKNOWN));
            assertEquals(0, limits.delayMillis(), "below the soft limit after " + i + " errors");
        }
        assertFalse(limits.count(UNKNOWN));
        assertEquals(1000, limits.delayMillis(), "the 10th error starts the delays");
        limits.count(OK);
        assertEquals(1000, limits.delayMillis(), "every reply waits, also a positive one");
        for (int i = 11; i < 20; i++) {
            assertFalse(limits.count(UNKNOWN));
        }
        assertTrue(limits.count(UNKNOWN), "the 20th error ends the session");
    }

    @Test
    void recipientsBeyondTheLimitCountOnlyPastTheOvershootLimit() {
        ErrorLimits limits = new ErrorLimits(tarpit(3, 20, 1000, 1.0, 60_000), 5);
        for (int i = 0; i < 5; i++) {
            limits.count(TOO_MANY);
        }
        assertEquals(0, limits.errors());
        limits.count(TOO_MANY);
        assertEquals(1, limits.errors(), "the 6th 452 is past the overshoot limit of 5");
    }

    @Test
    void aTransactionWithoutRecipientsIsAnErrorAndTheNextReplyEndsTheSessionAtTheHardLimit() {
        ErrorLimits limits = new ErrorLimits(tarpit(10, 20, 1000, 1.0, 60_000), 1000);
        for (int i = 0; i < 19; i++) {
            limits.emptyTransaction();
            assertFalse(limits.count(OK), "the 250 to RSET after " + (i + 1) + " empty transactions");
        }
        assertEquals(1000, limits.delayMillis(), "past the soft limit the replies wait");
        limits.emptyTransaction();
        assertTrue(limits.count(OK), "the 20th empty transaction ends the session at its RSET");
        limits.delivered();
        assertFalse(limits.count(OK), "a delivered message forgives them");
    }

    @Test
    void delayGrowsByTheMultiplierUpToTheCapAndADeliveryForgives() {
        ErrorLimits limits = new ErrorLimits(tarpit(2, 0, 300, 2.0, 1000), 1000);
        limits.count(UNKNOWN);
        limits.count(UNKNOWN);
        assertEquals(300, limits.delayMillis());
        limits.count(UNKNOWN);
        assertEquals(600, limits.delayMillis());
        limits.count(UNKNOWN);
        assertEquals(1000, limits.delayMillis(), "capped by max-delay");
        for (int i = 0; i < 100; i++) {
            assertFalse(limits.count(UNKNOWN), "hard limit 0 never closes");
        }
        limits.delivered();
        assertEquals(0, limits.delayMillis());
    }
}
