package net.trustbl.member;

import net.trustbl.common.ProblemException;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.support.ConfigStub;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registration budgets, with the defaults an operator runs (no %test overrides) and a clock of the test's. */
class RegistrationThrottleTest {

    private final AtomicLong now = new AtomicLong();

    private RegistrationThrottle throttle() {
        Map<String, Object> defaults = Map.of("perAddressPerHour", 5.0, "perNetworkPerHour", 20.0, "globalPerHour", 500.0,
                "reservedPerHour", 100.0, "reservedPerNetworkPerHour", 1.0);
        RegistrationThrottle t = new RegistrationThrottle();
        t.config = ConfigStub.of(TrustBlConfig.class, Map.of("registration", ConfigStub.of(TrustBlConfig.Registration.class, defaults)));
        t.clock = now::get;
        t.init();
        return t;
    }

    private static void refused(RegistrationThrottle t, String client, String why) {
        ProblemException e = assertThrows(ProblemException.class, () -> t.charge(client), why);
        assertEquals(429, e.status());
        assertTrue(e.retryAfterSeconds() > 0);
    }

    /** 100 bot addresses in 50 /24s, 5 registrations an hour each: the whole open share of 500. */
    private static void botnetUsesUpTheOpenShare(RegistrationThrottle t) {
        for (int net = 0; net < 50; net++) {
            for (int host = 1; host <= 2; host++) {
                for (int i = 0; i < 5; i++) {
                    t.charge("198.18." + net + "." + host);
                }
            }
        }
    }

    @Test
    void aBotnetThatUsesUpTheOpenShareLeavesTheReserveToNetworksThatDidNot() {
        RegistrationThrottle t = throttle();
        botnetUsesUpTheOpenShare(t);
        // each bot network has 10 of its 20 left, but it spent from the open share: no reserve for it
        refused(t, "198.18.0.3", "a new bot address in a network that emptied the open share");
        refused(t, "198.18.49.77", "the same for every network of the botnet");

        t.charge("203.0.113.7"); // an honest user from a network of its own still registers
        refused(t, "203.0.113.8", "one registration a network from the reserve");
        t.charge("2001:db8:1::5");
        for (int net = 1; net < 99; net++) {
            t.charge("192.0." + net + ".1");
        }
        refused(t, "192.0.99.1", "the reserve (100) is spent by 100 networks: a botnet that large can spend it");

        now.addAndGet(3_600_000_000_000L); // an hour later both shares are full again
        t.charge("192.0.99.1");
        t.charge("198.18.0.3");
    }

    @Test
    void theReserveIsOnlyDrawnOnceTheOpenShareIsEmpty() {
        RegistrationThrottle t = throttle();
        for (int net = 0; net < 25; net++) { // 25 networks, 20 each
            for (int i = 0; i < 20; i++) {
                t.charge("198.19." + net + "." + (i / 5 + 1));
            }
        }
        refused(t, "198.19.0.9", "per network");
        // the open share is empty now: the reserve holds exactly 100, one a fresh network
        int granted = 0;
        for (int net = 0; net < 150; net++) {
            try {
                t.charge("100.64." + net + ".1");
                granted++;
            } catch (ProblemException e) {
                assertEquals(429, e.status());
            }
        }
        assertEquals(100, granted);
    }

    @Test
    void theOldLimitsStillHoldPerClientAndPerNetwork() {
        RegistrationThrottle t = throttle();
        for (int i = 0; i < 5; i++) {
            t.charge("192.0.2.1");
        }
        refused(t, "192.0.2.1", "per address");
        for (int h = 2; h <= 4; h++) {
            for (int i = 0; i < 5; i++) {
                t.charge("192.0.2." + h);
            }
        }
        refused(t, "192.0.2.5", "per /24");
        t.charge("192.0.3.1");
    }
}
