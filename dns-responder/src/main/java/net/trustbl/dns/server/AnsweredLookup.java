package net.trustbl.dns.server;

import java.net.InetAddress;

import net.trustbl.dns.traffic.ClientNet;
import net.trustbl.dns.traffic.TrafficCounters;

/**
 * The lookup the current query makes (queried address, member key), noted while answering and
 * counted only once the server knows the answer goes out: rate limiting decides after the answer
 * is built, and a dropped or truncated (slipped) answer must never count. Plain fields, reused for
 * every query of one thread.
 */
final class AnsweredLookup {

    private static final int NONE = 0;
    private static final int V4 = 4;
    private static final int V6 = 6;

    private int family = NONE;
    private int v4;
    private long hi;
    private long lo;
    private String key;

    void clear() {
        family = NONE;
        key = null;
    }

    void v4(int ip) {
        family = V4;
        v4 = ip;
    }

    void v6(long hi, long lo) {
        family = V6;
        this.hi = hi;
        this.lo = lo;
    }

    void key(String memberKey) {
        key = memberKey;
    }

    /** Counts what was noted as answered to {@code client}, then forgets it. */
    void count(TrafficCounters.Stripe traffic, InetAddress client, long nowNanos) {
        count(traffic, ClientNet.of(client), nowNanos);
    }

    /** As above for a client whose network ({@link ClientNet#of}) the caller already has. */
    void count(TrafficCounters.Stripe traffic, long clientNet, long nowNanos) {
        if (key != null) {
            traffic.countKey(key);
        }
        if (family == V4) {
            traffic.countV4(v4, clientNet, nowNanos);
        } else if (family == V6) {
            traffic.countV6(hi, lo, clientNet, nowNanos);
        }
        clear();
    }
}
