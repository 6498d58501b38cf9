package net.trustbl.dns.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class DistinctLookupsTest {

    private static final long HOUR = 3_600_000_000_000L;

    private static long v4net(int n) {
        return ((long) n << 8) | (4L << 56);
    }

    private static boolean count(DistinctLookups d, int ip, long net, long now) {
        return d.firstInInterval(d.pairV4(ip, net), net, now);
    }

    @Test
    void networksBeyondTheSideTableShareGroupCountsAndStayCapped() {
        long now = System.nanoTime();
        // room for 100,000 pairs, 3 per network, but only 4 networks followed one by one
        DistinctLookups d = new DistinctLookups(100_000, 3, 4, HOUR, now);
        for (int n = 0; n < 4; n++) {
            for (int ip = 0; ip < 10; ip++) {
                assertEquals(ip < 3, count(d, ip, v4net(n), now), "network " + n + ", address " + ip);
            }
        }
        // a fifth network finds no place of its own: its group's count caps it like one network
        long late = v4net(1000);
        int counted = 0;
        for (int ip = 0; ip < 1_000; ip++) {
            counted += count(d, 0x0A000000 + ip, late, now) ? 1 : 0;
        }
        assertEquals(3, counted, "a network without a place of its own still takes one share at most");
        // and other late networks, one lookup each, still count (except the few that share its group)
        int others = 0;
        for (int n = 2000; n < 2100; n++) {
            others += count(d, 0x0B000001, v4net(n), now) ? 1 : 0;
        }
        assertTrue(others >= 95, "late networks count: " + others);
        assertEquals(4 * 7 + 997 + (100 - others), d.capped(), "every refusal was the share's, none the table's");
        assertEquals(0, d.overflowed());
        // the followed networks keep their own counts
        assertFalse(count(d, 5, v4net(0), now));
        // a new interval follows the late network on its own again
        assertTrue(count(d, 0x0A000000 + 999, late, now + HOUR));
    }

    @Test
    void aRepeatNeverChargesTheShareAndRacingThreadsCountEachPairOnce() throws Exception {
        long now = System.nanoTime();
        DistinctLookups d = new DistinctLookups(100_000, 500, 1_000, HOUR, now);
        long net = v4net(7);
        int threads = 4;
        AtomicInteger firsts = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int ip = 0; ip < 2_000; ip++) {
                    if (count(d, ip, net, now)) {
                        firsts.incrementAndGet();
                    }
                }
            });
            ts[t].start();
        }
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(500, firsts.get(), "exactly the share, however the threads raced");
        for (int ip = 0; ip < 2_000; ip++) {
            count(d, ip, net, now);
        }
        assertEquals(0, d.overflowed());
    }
}
