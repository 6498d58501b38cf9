package net.trustbl.dns.traffic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which (queried address, client network) pairs were already seen in the current interval, so
 * that a lookup counts once per pair per interval however many packets carry it (one client
 * repeating a query must not raise an address's volume; many networks asking must).
 *
 * <p>One fixed open-addressing table of 64-bit fingerprints shared by all server threads without
 * locks: a pair seen before costs a hash and a read or two (no write, so a flood of one query keeps
 * the cache line shared); a new pair claims its slot with one compare-and-set. Each slot carries
 * the interval (epoch) it was written in, so a new interval starts by bumping the epoch: slots of
 * older epochs count as free, nothing is cleared. At most {@code maxPairs} pairs are taken per
 * interval; beyond that new pairs are not counted (see {@link #overflowed()}), so memory stays
 * fixed under a flood of random names or spoofed clients. A random seed per process keeps outsiders
 * from choosing pairs that collide.
 */
final class DistinctLookups {

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long EPOCH_MASK = 0xFFFFL;
    /** Probes before a pair is given up as uncountable (the table is at most half full). */
    private static final int MAX_PROBES = 64;

    private final long[] slots;
    private final int mask;
    private final int maxPairs;
    private final long intervalNanos;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private final AtomicInteger pairs = new AtomicInteger();
    private final AtomicLong overflowed = new AtomicLong();
    private volatile int epoch = 1;
    private volatile long epochEndsAt;

    DistinctLookups(int maxPairs, long intervalNanos, long nowNanos) {
        if (maxPairs < 1 || intervalNanos < 1) {
            throw new IllegalArgumentException("max pairs and interval must be positive");
        }
        // at most half full, so linear probe runs stay short
        int size = Integer.highestOneBit(Math.max(16, maxPairs) * 2 - 1) << 1;
        this.slots = new long[size];
        this.mask = size - 1;
        this.maxPairs = maxPairs;
        this.intervalNanos = intervalNanos;
        this.epochEndsAt = nowNanos + intervalNanos;
    }

    /** The fingerprint of an IPv4 address asked from {@code clientNet} (see {@link ClientNet}). */
    long pairV4(int ip, long clientNet) {
        return mix(mix(seed ^ (ip & 0xFFFFFFFFL) ^ (4L << 56)) ^ clientNet);
    }

    /** The fingerprint of an IPv6 address asked from {@code clientNet}. */
    long pairV6(long hi, long lo, long clientNet) {
        return mix(mix(mix(seed ^ hi) ^ lo ^ (6L << 56)) ^ clientNet);
    }

    /**
     * True exactly once per interval for each pair fingerprint (the caller counts the lookup then);
     * false for a pair already seen, and for a new pair when this interval's table is full.
     */
    boolean firstInInterval(long pair, long nowNanos) {
        int e = epochAt(nowNanos);
        long want = (pair & ~EPOCH_MASK) | e;
        int i = (int) (pair >>> 20) & mask;
        for (int probe = 0; probe < MAX_PROBES; probe++, i = (i + 1) & mask) {
            long v = (long) SLOTS.getAcquire(slots, i);
            if (v == want) {
                return false;
            }
            if (v != 0 && !older((int) (v & EPOCH_MASK), e)) {
                continue; // another pair of this interval
            }
            // free, or left from an earlier interval: this pair was not seen in this one
            if (pairs.get() >= maxPairs) {
                overflowed.incrementAndGet();
                return false;
            }
            if (SLOTS.compareAndSet(slots, i, v, want)) {
                pairs.incrementAndGet();
                return true;
            }
            // lost a race for this slot: look at what won before moving on
            i = (i - 1) & mask;
        }
        overflowed.incrementAndGet();
        return false;
    }

    /** Pairs that could not be counted because an interval's table was full (since start). */
    long overflowed() {
        return overflowed.get();
    }

    private int epochAt(long nowNanos) {
        if (nowNanos - epochEndsAt >= 0) {
            advance(nowNanos);
        }
        return epoch;
    }

    private synchronized void advance(long nowNanos) {
        if (nowNanos - epochEndsAt < 0) {
            return; // another thread moved on already
        }
        long behind = (nowNanos - epochEndsAt) / intervalNanos + 1;
        int next = (int) (epoch % EPOCH_MASK) + 1; // 1..65535; 0 marks a free slot
        if (next == 1) {
            // after 65,535 intervals epochs repeat: forget everything once so old slots never look current
            java.util.Arrays.fill(slots, 0L);
        }
        pairs.set(0);
        epoch = next;
        epochEndsAt += behind * intervalNanos;
    }

    /** Epoch {@code a} was before {@code current} (modulo the 16-bit wrap). */
    private static boolean older(int a, int current) {
        return a != current && (short) (a - current) < 0;
    }

    /** MurmurHash3's 64-bit finalizer: every input bit moves about half the output bits. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
