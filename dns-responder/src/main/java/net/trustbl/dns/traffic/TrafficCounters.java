package net.trustbl.dns.traffic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import net.trustbl.dns.index.Ip;

/**
 * Lookup counts per queried IP and per member key. An address's lookup counts once per client
 * network (IPv4 /24, IPv6 /48) per interval ({@link TrafficSettings}; {@link DistinctLookups}
 * decides, and gives each client network at most its share of the interval's pairs), so the
 * count is the number of independent networks asking, not of packets; the
 * server counts only queries it answered after rate limiting. Member keys count every answered
 * query (member statistics, not a signal the engine trusts). Each server thread owns a {@link Stripe} and
 * counts into plain (unsynchronized) maps; a stripe hands its maps over in a batch at least once
 * a second and whenever {@link #drain} asks, so the query path takes no lock (one uncontended
 * compare-and-set per packet marks the owner busy; while it is blocked waiting for input a drain
 * hands the batch over on its behalf). Batches wait in a
 * bounded queue: if nobody drains, the oldest are dropped (counted in {@link #droppedBatches()}).
 */
public final class TrafficCounters {

    private static final long PUBLISH_INTERVAL_NANOS = 1_000_000_000L;
    /** Entries waiting for a drain at most (~40 MB); beyond that the oldest batches are dropped. */
    private static final long MAX_QUEUED_ENTRIES = 2_000_000;
    private static final int MAX_KEYS_PER_STRIPE = 1 << 18;

    private static final int BUSY = 0;
    private static final int IDLE = 1;
    private static final int DRAINING = 2;

    private final ConcurrentLinkedQueue<Batch> published = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedEntries = new AtomicLong();
    private final boolean enabled;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong drainGeneration = new AtomicLong();
    private final List<Stripe> stripes = new CopyOnWriteArrayList<>();
    private final DistinctLookups distinct;

    /** Counting on, with the default interval and bound. */
    public TrafficCounters() {
        this(TrafficSettings.defaults());
    }

    /** Counting on. */
    public TrafficCounters(TrafficSettings settings) {
        this.enabled = true;
        this.distinct = new DistinctLookups(settings.maxPairs(), settings.maxPairsPerNetwork(),
                DistinctLookups.MAX_NETWORKS, settings.interval().toNanos(), System.nanoTime());
    }

    private TrafficCounters(boolean enabled) {
        this.enabled = enabled;
        this.distinct = null;
    }

    /** Counts nothing (standalone replicas have no one to report traffic to). */
    public static TrafficCounters disabled() {
        return new TrafficCounters(false);
    }

    public boolean enabled() {
        return enabled;
    }

    public Stripe newStripe() {
        Stripe s = new Stripe();
        stripes.add(s);
        return s;
    }

    /** Called by the owner (busy, not idle) when it stops: hands over what it holds. */
    public void retire(Stripe s) {
        s.publish(System.nanoTime());
        stripes.remove(s);
    }

    public long droppedBatches() {
        return dropped.get();
    }

    /** New (address, client network) pairs not counted because an interval's table was full. */
    public long overflowedPairs() {
        return distinct == null ? 0 : distinct.overflowed();
    }

    /**
     * New (address, client network) pairs not counted because their client network had taken its
     * share of the interval's table ({@link TrafficSettings#maxPairsPerNetwork()}).
     */
    public long cappedPairs() {
        return distinct == null ? 0 : distinct.capped();
    }

    /**
     * Gives the counts gathered since the last drain and resets them. Waits at most ~300 ms for
     * busy or idle server threads to hand over their current batch.
     */
    public void drain(BiConsumer<String, Long> perIp, BiConsumer<String, Long> perKey) {
        long gen = drainGeneration.incrementAndGet();
        long deadline = System.nanoTime() + 300_000_000L;
        for (Stripe s : stripes) {
            while (s.seenGeneration < gen && System.nanoTime() < deadline) {
                if (s.state.compareAndSet(IDLE, DRAINING)) {
                    // the owner is blocked waiting for a packet: hand its batch over for it
                    try {
                        s.publish(System.nanoTime());
                        s.seenGeneration = gen;
                    } finally {
                        s.state.set(IDLE);
                    }
                    break;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        Map<String, Long> ips = new HashMap<>();
        Map<String, Long> keys = new HashMap<>();
        Batch b;
        while ((b = published.poll()) != null) {
            queuedEntries.addAndGet(-b.size());
            b.v4.forEach((ip, n) -> ips.merge(Ip.formatV4(ip), n, Long::sum));
            b.other.forEach((ip, n) -> ips.merge(ip, n[0], Long::sum));
            b.keys.forEach((k, n) -> keys.merge(k, n[0], Long::sum));
        }
        ips.forEach(perIp);
        keys.forEach(perKey);
    }

    private void offer(Batch b) {
        published.add(b);
        if (queuedEntries.addAndGet(b.size()) > MAX_QUEUED_ENTRIES) {
            Batch old;
            while (queuedEntries.get() > MAX_QUEUED_ENTRIES && (old = published.poll()) != null) {
                queuedEntries.addAndGet(-old.size());
                dropped.incrementAndGet();
            }
        }
    }

    private static final class Batch {
        final IntCountMap v4;
        final Map<String, long[]> other;
        final Map<String, long[]> keys;

        Batch(IntCountMap v4, Map<String, long[]> other, Map<String, long[]> keys) {
            this.v4 = v4;
            this.other = other;
            this.keys = keys;
        }

        long size() {
            return v4.size() + other.size() + keys.size();
        }
    }

    /** Owned by one thread; only that thread calls the count methods and {@link #housekeeping}. */
    public final class Stripe {
        private IntCountMap v4 = new IntCountMap();
        private Map<String, long[]> other = new HashMap<>();
        private Map<String, long[]> keys = new HashMap<>();
        private long lastPublish = System.nanoTime();
        private volatile long seenGeneration;
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger(BUSY);

        /** The owner is about to block (waiting for input): a drain may publish for it meanwhile. */
        public void idle() {
            state.set(IDLE);
        }

        /** The owner is back; waits the few microseconds a drain that took over may need. */
        public void busy() {
            while (!state.compareAndSet(IDLE, BUSY)) {
                Thread.onSpinWait();
            }
        }

        /** A lookup of {@code ip} from {@code clientNet} ({@link ClientNet#of}) answered at {@code nowNanos}. */
        public void countV4(int ip, long clientNet, long nowNanos) {
            if (!enabled || !distinct.firstInInterval(distinct.pairV4(ip, clientNet), clientNet, nowNanos)) {
                return;
            }
            v4.increment(ip);
            if (v4.size() >= MAX_KEYS_PER_STRIPE) {
                publish(System.nanoTime());
            }
        }

        /** A lookup of the IPv6 address {@code hi:lo} from {@code clientNet} answered at {@code nowNanos}. */
        public void countV6(long hi, long lo, long clientNet, long nowNanos) {
            if (!enabled || !distinct.firstInInterval(distinct.pairV6(hi, lo, clientNet), clientNet, nowNanos)) {
                return;
            }
            String k = Ip.formatV6(hi, lo);
            if (!bump(other, k)) {
                if (other.size() >= MAX_KEYS_PER_STRIPE) {
                    publish(System.nanoTime());
                }
                other.put(k, new long[] {1});
            }
        }

        public void countKey(String key) {
            if (!enabled) {
                return;
            }
            if (!bump(keys, key)) {
                if (keys.size() >= MAX_KEYS_PER_STRIPE) {
                    publish(System.nanoTime());
                }
                keys.put(key, new long[] {1});
            }
        }

        private boolean bump(Map<String, long[]> m, String k) {
            long[] c = m.get(k);
            if (c == null) {
                return false;
            }
            c[0]++;
            return true;
        }

        /** Called by the owner thread now and then (also when idle): hands over a batch when due. */
        public void housekeeping(long nowNanos) {
            long gen = drainGeneration.get();
            if (gen != seenGeneration || nowNanos - lastPublish >= PUBLISH_INTERVAL_NANOS) {
                publish(nowNanos);
                seenGeneration = gen;
            }
        }

        void publish(long nowNanos) {
            lastPublish = nowNanos;
            if (v4.size() == 0 && other.isEmpty() && keys.isEmpty()) {
                return;
            }
            offer(new Batch(v4, other, keys));
            v4 = new IntCountMap();
            other = new HashMap<>();
            keys = new HashMap<>();
        }
    }

    /** Open-addressing int to long-count map (no boxing on increment). */
    static final class IntCountMap {
        private int[] keys = new int[1024];
        private long[] counts = new long[1024];
        private boolean[] used = new boolean[1024];
        private int size;

        void increment(int k) {
            int mask = keys.length - 1;
            int i = mix(k) & mask;
            while (used[i]) {
                if (keys[i] == k) {
                    counts[i]++;
                    return;
                }
                i = (i + 1) & mask;
            }
            used[i] = true;
            keys[i] = k;
            counts[i] = 1;
            if (++size * 2 > keys.length) {
                grow();
            }
        }

        int size() {
            return size;
        }

        private static int mix(int k) {
            int h = k * 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        private void grow() {
            int[] ok = keys;
            long[] oc = counts;
            boolean[] ou = used;
            keys = new int[ok.length * 2];
            counts = new long[ok.length * 2];
            used = new boolean[ok.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < ok.length; j++) {
                if (ou[j]) {
                    int i = mix(ok[j]) & mask;
                    while (used[i]) {
                        i = (i + 1) & mask;
                    }
                    used[i] = true;
                    keys[i] = ok[j];
                    counts[i] = oc[j];
                }
            }
        }

        void forEach(IntLongConsumer c) {
            for (int j = 0; j < keys.length; j++) {
                if (used[j]) {
                    c.accept(keys[j], counts[j]);
                }
            }
        }
    }

    @FunctionalInterface
    interface IntLongConsumer {
        void accept(int k, long v);
    }
}
