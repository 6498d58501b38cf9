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
 *
 * <p>One client network may take at most {@code maxPairsPerNetwork} of an interval's new pairs (by
 * default {@code maxPairs / 64}): without that, one host querying random addresses at its rate
 * limit filled the whole table within minutes of every interval, and for the rest of it nobody's
 * lookups counted. What each network took is kept in a second fixed table of the same kind (see
 * {@link #shareOf}); it is consulted only for a pair not seen before, so a repeated lookup costs
 * what it did. Pairs refused by the share are counted in {@link #capped()}.
 *
 * <p>Not done: when the table is full, pairs of addresses already in it (asked from one more
 * network) could still be let in, since those lift counts the engine has anyway. The table holds
 * fingerprints of (address, network) pairs, from which an address cannot be found, so that would
 * take a third table of addresses on the path of every new pair; the per-network share makes a full
 * table take at least 64 networks that each spend their whole share, which is the case the
 * {@link #overflowed()} count is for.
 */
final class DistinctLookups {

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long EPOCH_MASK = 0xFFFFL;
    /** Probes before a pair is given up as uncountable (the table is at most half full). */
    private static final int MAX_PROBES = 64;
    /**
     * Client networks followed one by one per interval at most (2 MB of table). UDP lookups count
     * only from proven networks ({@code ProvenNetworks} holds 131,072 at most), and the resolvers
     * that look up mail senders at one responder in an interval are far fewer; beyond it networks
     * share {@link #GROUPS} counts.
     */
    static final int MAX_NETWORKS = 1 << 16;
    /** Shared counts for the networks that found no place of their own (see {@link #shareOf}). */
    static final int GROUPS = 1024;
    /** A count word is {@code epoch << 48 | count}: a count left from an older interval reads as 0. */
    private static final int COUNT_EPOCH_SHIFT = 48;
    private static final long COUNT_MASK = (1L << COUNT_EPOCH_SHIFT) - 1;

    private final long[] slots;
    private final int mask;
    private final int maxPairs;
    private final long intervalNanos;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private final AtomicInteger pairs = new AtomicInteger();
    private final AtomicLong overflowed = new AtomicLong();
    /**
     * Per client network: {@code nets[2j]} is the network's fingerprint with the epoch in its low
     * 16 bits (as in {@link #slots}), {@code nets[2j + 1]} its count word; after the {@code 2 *
     * netMask + 2} of these come the {@link #GROUPS} shared count words.
     */
    private final long[] nets;
    private final int netMask;
    private final int groupBase;
    private final int maxNetworks;
    private final int maxPairsPerNetwork;
    private final long netSeed = ThreadLocalRandom.current().nextLong();
    private final AtomicInteger networks = new AtomicInteger();
    private final AtomicLong capped = new AtomicLong();
    private volatile int epoch = 1;
    private volatile long epochEndsAt;

    /**
     * At most {@code maxPairs} new pairs per interval, at most {@code maxPairsPerNetwork} of them
     * from one client network, and at most {@code maxNetworks} networks followed one by one.
     */
    DistinctLookups(int maxPairs, int maxPairsPerNetwork, int maxNetworks, long intervalNanos, long nowNanos) {
        if (maxPairs < 1 || maxPairsPerNetwork < 1 || maxNetworks < 1 || intervalNanos < 1) {
            throw new IllegalArgumentException("max pairs, pairs per network, networks and interval must be positive");
        }
        // at most half full, so linear probe runs stay short
        int size = Integer.highestOneBit(Math.max(16, maxPairs) * 2 - 1) << 1;
        this.slots = new long[size];
        this.mask = size - 1;
        this.maxPairs = maxPairs;
        this.intervalNanos = intervalNanos;
        this.epochEndsAt = nowNanos + intervalNanos;
        // a network that takes no pair takes no place either, so more networks than pairs never need one
        this.maxNetworks = Math.min(Math.min(maxNetworks, maxPairs), MAX_NETWORKS);
        this.maxPairsPerNetwork = Math.min(maxPairsPerNetwork, maxPairs);
        int netSize = Integer.highestOneBit(Math.max(16, this.maxNetworks) * 2 - 1) << 1;
        this.nets = new long[2 * netSize + GROUPS];
        this.netMask = netSize - 1;
        this.groupBase = 2 * netSize;
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
     * false for a pair already seen, for a new pair when this interval's table is full, and for a
     * new pair from {@code clientNet} (the network {@code pair} was made with) when that network
     * has taken its share of this interval's pairs.
     */
    boolean firstInInterval(long pair, long clientNet, long nowNanos) {
        int e = epochAt(nowNanos);
        long want = (pair & ~EPOCH_MASK) | e;
        int i = (int) (pair >>> 20) & mask;
        int share = -1; // the count word this pair was charged to, once it was
        for (int probe = 0; probe < MAX_PROBES; probe++, i = (i + 1) & mask) {
            long v = (long) SLOTS.getAcquire(slots, i);
            if (v == want) {
                release(share, e); // another thread counted it meanwhile
                return false;
            }
            if (v != 0 && !older((int) (v & EPOCH_MASK), e)) {
                continue; // another pair of this interval
            }
            // free, or left from an earlier interval: this pair was not seen in this one
            if (pairs.get() >= maxPairs) {
                release(share, e);
                overflowed.incrementAndGet();
                return false;
            }
            if (share < 0) {
                share = shareOf(clientNet, e);
                if (!take(share, e)) {
                    capped.incrementAndGet();
                    return false;
                }
            }
            if (SLOTS.compareAndSet(slots, i, v, want)) {
                pairs.incrementAndGet();
                return true;
            }
            // lost a race for this slot: look at what won before moving on
            i = (i - 1) & mask;
        }
        release(share, e);
        overflowed.incrementAndGet();
        return false;
    }

    /** Pairs that could not be counted because an interval's table was full (since start). */
    long overflowed() {
        return overflowed.get();
    }

    /** New pairs not counted because their client network had taken its share of the interval (since start). */
    long capped() {
        return capped.get();
    }

    /**
     * The index in {@link #nets} of the count word that {@code clientNet}'s new pairs are charged
     * to in epoch {@code e}: its own, found or claimed like a pair in {@link #slots} (one
     * compare-and-set the first time in an interval, reads after that).
     *
     * <p>The table of networks is bounded too ({@link #maxNetworks} per interval, {@link
     * #MAX_PROBES} probes). A network that finds no place of its own in it is charged to one of
     * {@link #GROUPS} shared counts, chosen by a secret hash of the network, each capped at one
     * network's share. The two plain choices are both worse. Letting such a network count without a
     * cap would let whoever brings enough networks early in an interval (spoofed UDP from proven
     * ranges, or proof turned off) fill the pair table again from one more network. Refusing it
     * would shut out every network that comes late in a busy interval, honest or not, and that
     * same attacker would decide when. Shared counts are conservative, since a late network still
     * gets at most one share (it only ever shares a count, never gets a new one), and they still let
     * honest networks count: an honest network asks for a few pairs, and a network that spends its
     * group's whole share shuts out only the late networks of that group, about 1 in {@value
     * #GROUPS}. It takes {@link #maxNetworks} networks (65,536 at the default) counting in one
     * interval to get here at all.
     */
    private int shareOf(long clientNet, int e) {
        long fp = mix(netSeed ^ clientNet);
        long want = (fp & ~EPOCH_MASK) | e;
        int i = (int) (fp >>> 20) & netMask;
        for (int probe = 0; probe < MAX_PROBES; probe++, i = (i + 1) & netMask) {
            long v = (long) SLOTS.getAcquire(nets, 2 * i);
            if (v == want) {
                return 2 * i + 1;
            }
            if (v != 0 && !older((int) (v & EPOCH_MASK), e)) {
                continue; // another network of this interval
            }
            if (networks.get() >= maxNetworks) {
                break;
            }
            if (SLOTS.compareAndSet(nets, 2 * i, v, want)) {
                networks.incrementAndGet();
                return 2 * i + 1; // its count word may hold an older interval's count, which reads as 0
            }
            i = (i - 1) & netMask; // lost a race for this slot: look at what won
        }
        return groupBase + ((int) (fp >>> 44) & (GROUPS - 1));
    }

    /** Charges one pair to the count word at {@code at} unless it holds the share already. */
    private boolean take(int at, int e) {
        for (;;) {
            long c = (long) SLOTS.getVolatile(nets, at);
            // another epoch's count is spent (a thread still in the interval that just ended may
            // overwrite a count of the new one once, at the boundary: a few pairs too many, not a hole)
            long n = (int) (c >>> COUNT_EPOCH_SHIFT) == e ? c & COUNT_MASK : 0;
            if (n >= maxPairsPerNetwork) {
                return false; // a read only: a network at its cap leaves the cache line shared
            }
            if (SLOTS.compareAndSet(nets, at, c, ((long) e << COUNT_EPOCH_SHIFT) | (n + 1))) {
                return true;
            }
        }
    }

    /** Gives back a charge that did not become a counted pair (none when {@code at} is negative). */
    private void release(int at, int e) {
        if (at < 0) {
            return;
        }
        for (;;) {
            long c = (long) SLOTS.getVolatile(nets, at);
            if ((int) (c >>> COUNT_EPOCH_SHIFT) != e || (c & COUNT_MASK) == 0) {
                return; // the interval moved on: the charge went with it
            }
            if (SLOTS.compareAndSet(nets, at, c, c - 1)) {
                return;
            }
        }
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
            java.util.Arrays.fill(nets, 0L);
        }
        pairs.set(0);
        networks.set(0);
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
