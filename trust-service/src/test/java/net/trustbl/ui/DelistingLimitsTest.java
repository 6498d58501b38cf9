package net.trustbl.ui;

import net.trustbl.support.ConfigStub;
import net.trustbl.testing.AtOnce;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budgets of delisting requests, with the defaults an operator runs (no %test overrides). */
class DelistingLimitsTest {

    /** The address the requests of most tests are for. */
    private static final String LISTED = "192.0.2.250";

    private final AtomicLong now = new AtomicLong();

    private DelistingLimits limits() {
        Map<String, Double> defaults = Map.of("perAddressPerHour", 3.0, "perEmailPerHour", 3.0, "perClientPerHour", 10.0,
                "perNetworkPerHour", 30.0, "totalPerHour", 600.0, "perNetworkConfirmedPerHour", 10.0,
                "reservedPerListedNetworkPerHour", 3.0);
        DelistingLimits l = new DelistingLimits();
        l.config = ConfigStub.of(WebConfig.class, Map.of("delisting", ConfigStub.of(WebConfig.Delisting.class, defaults)));
        l.clock = now::get;
        return l;
    }

    @Test
    void oneMailboxSpelledManyWaysHasOneBudget() {
        DelistingLimits l = limits();
        assertEquals(0, l.takeRequest("192.0.2.1", "Victim+1@Example.org", LISTED));
        assertEquals(0, l.takeRequest("192.0.2.2", "victim+2@example.org", LISTED));
        assertEquals(0, l.takeRequest("192.0.2.3", "VICTIM@example.org", LISTED));
        assertTrue(l.takeRequest("192.0.2.4", "victim+4@example.org", LISTED) > 0, "the fourth mail to one inbox within the hour");
        assertEquals(0, l.takeRequest("192.0.2.5", "jo.hn@gmail.com", LISTED));
        assertEquals(0, l.takeRequest("192.0.2.6", "john@googlemail.com", LISTED));
        assertEquals(0, l.takeRequest("192.0.2.7", "j.o.h.n+x@gmail.com", LISTED));
        assertTrue(l.takeRequest("192.0.2.8", "johN@gmail.com", LISTED) > 0);
        assertEquals(0, l.takeRequest("192.0.2.9", "other@example.org", LISTED), "another mailbox is not affected");
    }

    @Test
    void anIpv6HostCannotSpreadItsRequestsOverTheSlash64sOfItsSlash48() {
        DelistingLimits l = limits();
        int granted = 0;
        for (int i = 0; i < 100; i++) {
            if (l.takeRequest("2001:db8:7:" + Integer.toHexString(i) + "::1", "owner" + i + "@example.org", LISTED) == 0) {
                granted++;
            }
        }
        assertEquals(30, granted, "the /48's hourly budget, not 10 per /64");
        assertEquals(0, l.takeRequest("2001:db8:8::1", "someone@example.org", LISTED), "another /48 is not affected");
    }

    @Test
    void aRefusedRequestCostsTheOtherBudgetsNothing() {
        DelistingLimits l = limits();
        for (int i = 0; i < 3; i++) {
            assertEquals(0, l.takeRequest("198.51.100." + i, "busy@example.org", LISTED));
        }
        // the client's 10 are untouched by its refusals for a full mailbox
        for (int i = 0; i < 20; i++) {
            assertTrue(l.takeRequest("203.0.113.9", "busy@example.org", LISTED) > 0);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(0, l.takeRequest("203.0.113.9", "m" + i + "@example.org", LISTED), "request " + i);
        }
        assertTrue(l.takeRequest("203.0.113.9", "m10@example.org", LISTED) > 0);
    }

    @Test
    void parallelRequestsTakeTheirTokensOneByOne() throws Exception {
        DelistingLimits l = limits();
        List<Long> waits = AtOnce.run(32, n -> l.takeRequest("192.0.2." + n, "target@example.org", LISTED));
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

    @Test
    void requestsThatUseUpTheTotalCannotKeepAnotherListingFromFilingItsOwn() {
        DelistingLimits l = limits();
        // 60 bots in 30 /24s, 10 requests an hour each to throw-away mailboxes (never confirmed), each
        // for another listed address in 30 listed /24s: the whole total of 600
        int granted = 0;
        for (int bot = 0; bot < 60; bot++) {
            for (int i = 0; i < 10; i++) {
                if (l.takeRequest("198.18." + bot / 2 + "." + (bot % 2 + 1), "x" + bot + "-" + i + "@throwaway.example",
                        "203.0." + (bot / 2) + "." + (i + 1)) == 0) {
                    granted++;
                }
            }
        }
        assertEquals(600, granted);
        assertTrue(l.takeRequest("100.64.0.1", "fresh@example.org", "203.0.0.99") == 0,
                "a listed network the flood asked for has its reserve too");
        // the owner of another listing, from a network and a mailbox of its own, still files its request
        assertEquals(0, l.takeRequest("192.0.2.1", "postmaster@victim.example", "198.51.100.25"));
        assertEquals(0, l.takeRequest("192.0.2.2", "abuse@victim.example", "198.51.100.26"), "the reserve is per listed /24");
        assertEquals(0, l.takeRequest("2001:db8:5::1", "noc@victim.example", "198.51.100.27"));
        long wait = l.takeRequest("2001:db8:6::1", "ceo@victim.example", "198.51.100.28");
        assertTrue(wait > 0 && wait <= 1200, "3 an hour for one listed /24 beyond the total: " + wait);
        assertEquals(0, l.takeRequest("2001:db8:6::1", "ceo@victim.example", "2001:db8:99::1"), "another listed network");
        assertTrue(l.takeRequest("2001:db8:6::2", "ceo2@example.org", "2001:db8:99::2") == 0, "the listed /64 shares one reserve");
        assertTrue(l.takeRequest("2001:db8:6::3", "ceo3@example.org", "2001:db8:99::3") == 0);
        assertTrue(l.takeRequest("2001:db8:6::4", "ceo4@example.org", "2001:db8:99::4") > 0);

        now.addAndGet(1_200_000_000_000L); // 20 minutes: one more for each reserve (and 200 for the total)
        assertEquals(0, l.takeRequest("192.0.2.3", "it@victim.example", "198.51.100.28"));
    }

    @Test
    void aRequestTheReserveRefusesCostsTheRequesterNothing() {
        DelistingLimits l = limits();
        for (int i = 0; i < 600; i++) {
            assertEquals(0, l.takeRequest("198.18." + i / 20 + "." + (i % 20 / 10 + 1), "bot" + i + "@throwaway.example", "203.0.113.1"));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(0, l.takeRequest("198.19.0." + i, "bot-r" + i + "@throwaway.example", "203.0.113.2"), "the reserve of 203.0.113.0/24");
        }
        for (int i = 0; i < 20; i++) {
            assertTrue(l.takeRequest("192.0.2.1", "owner@example.org", "203.0.113.3") > 0, "a flood aimed at one listing spends its reserve");
        }
        // the refusals took nothing from the client's or the mailbox's budgets
        assertEquals(0, l.takeRequest("192.0.2.1", "owner@example.org", "198.51.100.1"));
        assertEquals(0, l.takeRequest("192.0.2.1", "owner@example.org", "198.51.100.1"));
        assertEquals(0, l.takeRequest("192.0.2.1", "owner@example.org", "198.51.100.1"));
    }
}
