package net.trustbl.dns.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TrafficCountersTest {

    @Test
    void countsFromSeveralStripesAddUpAndDrainResets() throws Exception {
        TrafficCounters t = new TrafficCounters();
        TrafficCounters.Stripe a = t.newStripe();
        TrafficCounters.Stripe b = t.newStripe();
        for (int i = 0; i < 100_000; i++) {
            a.countV4(0x0A000000 + (i % 5000));
        }
        b.countV4(0x0A000001);
        b.countV6(0x20010db800000000L, 1);
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
        a.countV4(7);
        a.housekeeping(System.nanoTime() + 2_000_000_000L); // a busy owner hands over at least every second
        a.idle();
        t.drain(again::put, (k, n) -> { });
        assertEquals(Map.of("0.0.0.7", 1L), again);
    }

    @Test
    void undrainedCountsStayBounded() {
        TrafficCounters t = new TrafficCounters();
        TrafficCounters.Stripe s = t.newStripe();
        long now = System.nanoTime();
        for (int round = 0; round < 12; round++) {
            for (int i = 0; i < 250_000; i++) {
                s.countV4(round * 1_000_000 + i);
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
        s.countV4(1);
        s.countKey("k");
        s.idle();
        Map<String, Long> ips = new HashMap<>();
        t.drain(ips::put, ips::put);
        assertTrue(ips.isEmpty());
    }
}
