package net.trustbl.dns.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TrafficCountersTest {

    private static final long NOW = System.nanoTime();

    private static long net(String client) throws Exception {
        return ClientNet.of(InetAddress.getByName(client));
    }

    @Test
    void countsFromSeveralStripesAddUpAndDrainResets() throws Exception {
        TrafficCounters t = new TrafficCounters();
        TrafficCounters.Stripe a = t.newStripe();
        TrafficCounters.Stripe b = t.newStripe();
        for (int i = 0; i < 100_000; i++) {
            // 5,000 addresses, each asked from 20 client networks
            a.countV4(0x0A000000 + (i % 5000), (i / 5000 % 20) << 8, NOW);
        }
        b.countV4(0x0A000001, 0xFF00, NOW); // a 21st network for 10.0.0.1
        b.countV6(0x20010db800000000L, 1, net("2001:db8:1::1"), NOW);
        b.countKey("k1");
        a.idle(); // both owners "blocked": the drain takes their batches itself
        b.idle();
        Map<String, Long> ips = new HashMap<>();
        Map<String, Long> keys = new HashMap<>();
        t.drain(ips::put, keys::put);
        assertEquals(5001, ips.size());
        assertEquals(21L, ips.get("10.0.0.1"));
        assertEquals(20L, ips.get("10.0.19.135"));
        assertEquals(1L, ips.get("2001:db8::1"));
        assertEquals(Map.of("k1", 1L), keys);
        Map<String, Long> again = new HashMap<>();
        t.drain(again::put, again::put);
        assertTrue(again.isEmpty());
        a.busy();
        a.countV4(7, 0, NOW);
        a.housekeeping(System.nanoTime() + 2_000_000_000L); // a busy owner hands over at least every second
        a.idle();
        t.drain(again::put, (k, n) -> { });
        assertEquals(Map.of("0.0.0.7", 1L), again);
    }

    @Test
    void undrainedCountsStayBounded() {
        // one network may take the whole table here: the batches, not the share, are under test
        TrafficCounters t = new TrafficCounters(new TrafficSettings(Duration.ofSeconds(1), 250_000, 250_000));
        TrafficCounters.Stripe s = t.newStripe();
        long now = System.nanoTime();
        for (int round = 0; round < 12; round++) {
            for (int i = 0; i < 250_000; i++) {
                s.countV4(round * 1_000_000 + i, 0, now); // each round in an interval of its own
            }
            now += 2_000_000_000L;
            s.housekeeping(now);
        }
        assertTrue(t.droppedBatches() > 0, "old batches are dropped instead of filling the heap");
    }

    @Test
    void disabledCountsNothing() {
        TrafficCounters t = TrafficCounters.disabled();
        TrafficCounters.Stripe s = t.newStripe();
        s.countV4(1, 0, NOW);
        s.countKey("k");
        s.idle();
        Map<String, Long> ips = new HashMap<>();
        t.drain(ips::put, ips::put);
        assertTrue(ips.isEmpty());
    }

    @Test
    void sixtyThousandLookupsFromOneClientCountOnce() throws Exception {
        TrafficCounters t = new TrafficCounters();
        TrafficCounters.Stripe a = t.newStripe();
        TrafficCounters.Stripe b = t.newStripe(); // the same client reaching another server thread
        int ip = 0xCB00714D; // 203.0.113.77
        long client = net("127.0.0.1");
        for (int i = 0; i < 60_000; i++) {
            (i % 2 == 0 ? a : b).countV4(ip, client, NOW + i * 16_000L); // spread over about a second
        }
        assertEquals(Map.of("203.0.113.77", 1L), drain(t, a, b));
        a.countV4(ip, net("127.0.0.200"), NOW + 2_000_000_000L); // another address of the same /24
        assertEquals(Map.of(), drain(t, a, b), "the same /24 is the same client");
    }

    @Test
    void threeHundredClientNetworksCountThreeHundred() throws Exception {
        TrafficCounters t = new TrafficCounters();
        TrafficCounters.Stripe a = t.newStripe();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 300; i++) {
                a.countV4(0xCB00714D, net("127." + (i / 250 + 1) + "." + (i % 250) + ".1"), NOW);
            }
        }
        assertEquals(Map.of("203.0.113.77", 300L), drain(t, a));
        TrafficCounters.Stripe v6 = t.newStripe();
        for (int i = 0; i < 10; i++) {
            v6.countV6(0x20010db800000000L, 5, net("2001:db8:" + i + "::1"), NOW);
            v6.countV6(0x20010db800000000L, 5, net("2001:db8:" + i + ":ffff::1"), NOW); // same /48
        }
        assertEquals(Map.of("2001:db8::5", 10L), drain(t, a, v6));
    }

    @Test
    void aNewIntervalCountsEachClientNetworkAgain() throws Exception {
        TrafficCounters t = new TrafficCounters(new TrafficSettings(Duration.ofSeconds(10), 1000));
        long now = System.nanoTime(); // the first interval began a moment ago, at construction
        TrafficCounters.Stripe a = t.newStripe();
        long client = net("198.51.100.7");
        a.countV4(1, client, now);
        a.countV4(1, client, now + 9_000_000_000L);
        assertEquals(Map.of("0.0.0.1", 1L), drain(t, a));
        a.countV4(1, client, now + 10_000_000_000L);
        a.countV4(1, client, now + 19_000_000_000L);
        assertEquals(Map.of("0.0.0.1", 1L), drain(t, a));
        a.countV4(1, client, now + 75_000_000_000L); // several idle intervals later
        assertEquals(Map.of("0.0.0.1", 1L), drain(t, a));
    }

    @Test
    void aFloodOfDistinctPairsStaysWithinTheBoundAndIsCountedAsOverflow() throws Exception {
        TrafficCounters t = new TrafficCounters(new TrafficSettings(Duration.ofHours(1), 10_000));
        long now = System.nanoTime();
        TrafficCounters.Stripe a = t.newStripe();
        for (int i = 0; i < 50_000; i++) {
            a.countV4(i, (long) i << 8, now); // random names from random clients
        }
        Map<String, Long> counted = drain(t, a);
        assertEquals(10_000, counted.size(), "pairs beyond the bound are not counted");
        assertEquals(40_000, t.overflowedPairs());
        a.countV4(0, 0, now + 3_600_000_000_000L); // the next interval has room again
        assertEquals(Map.of("0.0.0.0", 1L), drain(t, a));
    }

    @Test
    void oneNetworkFillingTheTableLeavesRoomForOneHundredOthers() throws Exception {
        int maxPairs = 6_400; // a share of maxPairs/64 = 100 pairs per client network by default
        TrafficCounters t = new TrafficCounters(new TrafficSettings(Duration.ofHours(1), maxPairs));
        long now = System.nanoTime();
        TrafficCounters.Stripe a = t.newStripe();
        long flooder = net("203.0.113.9"); // one /24 that proved TCP, sending random addresses
        for (int i = 0; i < maxPairs; i++) {
            // distinct addresses scattered over 10/8 (times an odd number is one-to-one mod 2^24)
            a.countV4(0x0A000000 | (i * 0x9E3779 & 0xFFFFFF), flooder, now + i * 1_000_000L);
        }
        drain(t, a);
        long later = now + 600_000_000_000L; // ten minutes on, the same hour
        for (int n = 0; n < 100; n++) {
            a.countV4(0xC6336401, net("100.64." + n + ".1"), later + n); // 198.51.100.1 from 100 other /24s
        }
        assertEquals(Map.of("198.51.100.1", 100L), drain(t, a), "every other network's lookup counts");
    }

    @Test
    void aSingleNetworkIsCountedUpToItsShare() throws Exception {
        TrafficCounters t = new TrafficCounters(new TrafficSettings(Duration.ofHours(1), 6_400)); // share 100
        long now = System.nanoTime();
        TrafficCounters.Stripe a = t.newStripe();
        long client = net("198.51.100.7");
        for (int round = 0; round < 2; round++) { // the second round repeats the first
            for (int i = 0; i < 1_000; i++) {
                a.countV4(0x0A000000 + i, client, now + i);
            }
        }
        Map<String, Long> counted = drain(t, a);
        assertEquals(100, counted.size(), "the network's share of new pairs counts: " + counted.size());
        assertTrue(counted.values().stream().allMatch(n -> n == 1L), "each counted once");
        assertEquals(1_800, t.cappedPairs(), "the 900 beyond the share, twice");
        assertEquals(0, t.overflowedPairs(), "the table itself never filled");
        a.countV4(0x0B000000, net("198.51.101.7"), now + 5); // the next /24 has a share of its own
        assertEquals(Map.of("11.0.0.0", 1L), drain(t, a));
        for (int i = 0; i < 1_000; i++) {
            a.countV4(0x0A000000 + i, client, now + 3_600_000_000_000L + i); // the next hour: a new share
        }
        assertEquals(100, drain(t, a).size());

        TrafficCounters wide = new TrafficCounters(new TrafficSettings(Duration.ofHours(1), 6_400, 1_000));
        TrafficCounters.Stripe w = wide.newStripe();
        for (int i = 0; i < 2_000; i++) {
            w.countV4(0x0A000000 + i, client, now + i);
        }
        assertEquals(1_000, drain(wide, w).size(), "a configured share replaces the default");
        assertEquals(1_000, wide.cappedPairs());
    }

    @Test
    void aNetworkSharesItsCapAcrossIPv6AndItsWholeSlash48() throws Exception {
        TrafficCounters t = new TrafficCounters(new TrafficSettings(Duration.ofHours(1), 640)); // share 10
        long now = System.nanoTime();
        TrafficCounters.Stripe a = t.newStripe();
        for (int i = 0; i < 50; i++) {
            // 50 addresses asked from 50 hosts of one /48
            a.countV6(0x20010db800000000L, i, net("2001:db8:7:" + Integer.toHexString(i) + "::1"), now);
        }
        assertEquals(10, drain(t, a).size());
        assertEquals(40, t.cappedPairs());
    }

    private static Map<String, Long> drain(TrafficCounters t, TrafficCounters.Stripe... owners) {
        for (TrafficCounters.Stripe s : owners) {
            s.idle(); // the owner is "blocked": the drain takes its batch itself
        }
        Map<String, Long> ips = new HashMap<>();
        t.drain(ips::put, (k, n) -> { });
        for (TrafficCounters.Stripe s : owners) {
            s.busy();
        }
        return ips;
    }
}
