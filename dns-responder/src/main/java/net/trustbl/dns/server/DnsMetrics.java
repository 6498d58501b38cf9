package net.trustbl.dns.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Query counters for binding to Micrometer (FunctionCounter / Gauge on these getters). Each
 * server thread writes its own {@link Stripe} with plain increments (no lock, no CAS); getters add
 * the stripes up, so values are eventually consistent.
 */
public final class DnsMetrics {

    /** Query types counted separately; everything else is "OTHER". */
    public static final String[] TYPES = {"A", "AAAA", "TXT", "ANY", "SOA", "NS", "AXFR", "IXFR", "OTHER"};
    /** Response codes 0..15 by their mnemonic (index = rcode). */
    public static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
        "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "RCODE11", "RCODE12", "RCODE13", "RCODE14", "RCODE15"};
    /** Upper bounds (microseconds) of the latency histogram buckets; the last bucket is open. */
    public static final long[] LATENCY_BOUNDS_MICROS = {5, 10, 20, 50, 100, 200, 500, 1000, 5000, 50_000};

    private final List<Stripe> stripes = new CopyOnWriteArrayList<>();
    /** TCP connections closed at accept (over max-connections or max-per-client); rare, so shared. */
    final java.util.concurrent.atomic.AtomicLong tcpRefused = new java.util.concurrent.atomic.AtomicLong();

    /** TCP connections closed at once because of max-connections or max-per-client. */
    public long tcpRefused() {
        return tcpRefused.get();
    }
    private final Stripe retired = new Stripe();

    Stripe newStripe() {
        Stripe s = new Stripe();
        stripes.add(s);
        return s;
    }

    void retire(Stripe s) {
        synchronized (retired) {
            retired.addAll(s);
        }
        stripes.remove(s);
    }

    static int typeIndex(int qtype) {
        switch (qtype) {
            case 1: return 0;
            case 28: return 1;
            case 16: return 2;
            case 255: return 3;
            case 6: return 4;
            case 2: return 5;
            case 252: return 6;
            case 251: return 7;
            default: return 8;
        }
    }

    private long sum(java.util.function.ToLongFunction<Stripe> f) {
        long t;
        synchronized (retired) {
            t = f.applyAsLong(retired);
        }
        for (Stripe s : stripes) {
            t += f.applyAsLong(s);
        }
        return t;
    }

    public long queries() {
        return sum(s -> {
            long t = 0;
            for (long v : s.byType) {
                t += v;
            }
            return t;
        });
    }

    /** Queries of a type named in {@link #TYPES}. */
    public long queriesByType(String type) {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i].equals(type)) {
                final int k = i;
                return sum(s -> s.byType[k]);
            }
        }
        return 0;
    }

    /**
     * Responses sent with an rcode named in {@link #RCODES}: what went out on the wire, so an RRL
     * drop is not counted and an RRL slip counts once (as the NOERROR+TC it is).
     */
    public long responsesByRcode(String rcode) {
        for (int i = 0; i < RCODES.length; i++) {
            if (RCODES[i].equals(rcode)) {
                final int k = i;
                return sum(s -> s.byRcode[k]);
            }
        }
        return 0;
    }

    /** Lookups that answered a listing (A/TXT/ANY with a return code). */
    public long listedHits() {
        return sum(s -> s.hits);
    }

    /** Responses dropped by response rate limiting. */
    public long rrlDrops() {
        return sum(s -> s.rrlDrops);
    }

    /** Responses sent truncated (TC) by response rate limiting instead of being dropped. */
    public long rrlSlips() {
        return sum(s -> s.rrlSlips);
    }

    /** Packets dropped without an answer (malformed beyond a header, responses sent to us). */
    public long dropped() {
        return sum(s -> s.dropped);
    }

    /** Queries refused by the query ACL. */
    public long aclRefused() {
        return sum(s -> s.aclRefused);
    }

    /** Counts per latency bucket, bounds in {@link #LATENCY_BOUNDS_MICROS} (+1 open bucket). */
    public long[] latencyHistogram() {
        long[] out = new long[LATENCY_BOUNDS_MICROS.length + 1];
        for (int i = 0; i < out.length; i++) {
            final int k = i;
            out[i] = sum(s -> s.latency[k]);
        }
        return out;
    }

    public long latencyTotalNanos() {
        return sum(s -> s.latencyNanos);
    }

    /** Written by exactly one thread. */
    static final class Stripe {
        final long[] byType = new long[TYPES.length];
        final long[] byRcode = new long[16];
        final long[] latency = new long[LATENCY_BOUNDS_MICROS.length + 1];
        long hits;
        long rrlDrops;
        long rrlSlips;
        long dropped;
        long aclRefused;
        long latencyNanos;

        void query(int qtype) {
            byType[typeIndex(qtype)]++;
        }

        void rcode(int rcode) {
            byRcode[rcode & 15]++;
        }

        /** A response that was counted but then not sent as it was (RRL drop or slip). */
        void uncountRcode(int rcode) {
            byRcode[rcode & 15]--;
        }

        void latency(long nanos) {
            latencyNanos += nanos;
            long micros = nanos / 1000;
            int i = 0;
            while (i < LATENCY_BOUNDS_MICROS.length && micros > LATENCY_BOUNDS_MICROS[i]) {
                i++;
            }
            latency[i]++;
        }

        void addAll(Stripe o) {
            for (int i = 0; i < byType.length; i++) {
                byType[i] += o.byType[i];
            }
            for (int i = 0; i < 16; i++) {
                byRcode[i] += o.byRcode[i];
            }
            for (int i = 0; i < latency.length; i++) {
                latency[i] += o.latency[i];
            }
            hits += o.hits;
            rrlDrops += o.rrlDrops;
            rrlSlips += o.rrlSlips;
            dropped += o.dropped;
            aclRefused += o.aclRefused;
            latencyNanos += o.latencyNanos;
        }
    }
}
