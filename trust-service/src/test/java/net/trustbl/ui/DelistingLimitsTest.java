package net.trustbl.ui;

import net.trustbl.testing.AtOnce;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budgets of delisting requests, with the defaults an operator runs (no %test overrides). */
class DelistingLimitsTest {

    private static DelistingLimits limits() {
        Map<String, Double> defaults = Map.of("perAddressPerHour", 3.0, "perEmailPerHour", 3.0, "perClientPerHour", 10.0,
                "perNetworkPerHour", 30.0, "totalPerHour", 600.0, "perNetworkConfirmedPerHour", 10.0);
        WebConfig.Delisting d = (WebConfig.Delisting) Proxy.newProxyInstance(WebConfig.class.getClassLoader(),
                new Class<?>[]{WebConfig.Delisting.class}, (p, m, a) -> defaults.get(m.getName()));
        DelistingLimits l = new DelistingLimits();
        l.config = (WebConfig) Proxy.newProxyInstance(WebConfig.class.getClassLoader(), new Class<?>[]{WebConfig.class},
                (p, m, a) -> m.getName().equals("delisting") ? d : null);
        return l;
    }

    @Test
    void oneMailboxSpelledManyWaysHasOneBudget() {
        DelistingLimits l = limits();
        assertEquals(0, l.takeRequest("192.0.2.1", "Victim+1@Example.org"));
        assertEquals(0, l.takeRequest("192.0.2.2", "victim+2@example.org"));
        assertEquals(0, l.takeRequest("192.0.2.3", "VICTIM@example.org"));
        assertTrue(l.takeRequest("192.0.2.4", "victim+4@example.org") > 0, "the fourth mail to one inbox within the hour");
        assertEquals(0, l.takeRequest("192.0.2.5", "jo.hn@gmail.com"));
        assertEquals(0, l.takeRequest("192.0.2.6", "john@googlemail.com"));
        assertEquals(0, l.takeRequest("192.0.2.7", "j.o.h.n+x@gmail.com"));
        assertTrue(l.takeRequest("192.0.2.8", "johN@gmail.com") > 0);
        assertEquals(0, l.takeRequest("192.0.2.9", "other@example.org"), "another mailbox is not affected");
    }

    @Test
    void anIpv6HostCannotSpreadItsRequestsOverTheSlash64sOfItsSlash48() {
        DelistingLimits l = limits();
        int granted = 0;
        for (int i = 0; i < 100; i++) {
            if (l.takeRequest("2001:db8:7:" + Integer.toHexString(i) + "::1", "owner" + i + "@example.org") == 0) {
                granted++;
            }
        }
        assertEquals(30, granted, "the /48's hourly budget, not 10 per /64");
        assertEquals(0, l.takeRequest("2001:db8:8::1", "someone@example.org"), "another /48 is not affected");
    }

    @Test
    void aRefusedRequestCostsTheOtherBudgetsNothing() {
        DelistingLimits l = limits();
        for (int i = 0; i < 3; i++) {
            assertEquals(0, l.takeRequest("198.51.100." + i, "busy@example.org"));
        }
        // the client's 10 are untouched by its refusals for a full mailbox
        for (int i = 0; i < 20; i++) {
            assertTrue(l.takeRequest("203.0.113.9", "busy@example.org") > 0);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(0, l.takeRequest("203.0.113.9", "m" + i + "@example.org"), "request " + i);
        }
        assertTrue(l.takeRequest("203.0.113.9", "m10@example.org") > 0);
    }

    @Test
    void parallelRequestsTakeTheirTokensOneByOne() throws Exception {
        DelistingLimits l = limits();
        List<Long> waits = AtOnce.run(32, n -> l.takeRequest("192.0.2." + n, "target@example.org"));
        assertEquals(3, waits.stream().filter(w -> w == 0).count(), "three mails an hour to one inbox, however many ask at once");
    }

    @Test
    void theAddressesOfOneListedBlockShareTheirConfirmations() {
        DelistingLimits l = limits();
        int confirmed = 0;
        for (int i = 0; i < 50; i++) {
            if (l.takeConfirmation("2001:db8:1:2::" + Integer.toHexString(i + 1)) == 0) {
                confirmed++;
            }
        }
        assertEquals(10, confirmed, "per /64 and hour");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, l.takeConfirmation("192.0.2.77"));
        }
        assertTrue(l.takeConfirmation("192.0.2.77") > 0, "three per address");
        l.refundConfirmation("192.0.2.77");
        assertEquals(0, l.takeConfirmation("192.0.2.77"), "a link that confirmed nothing gives its token back");
    }
}
