package net.trustbl.dns.server;

import java.net.InetAddress;
import java.util.concurrent.atomic.LongAdder;

import net.trustbl.dns.traffic.ClientNet;

/**
 * Client networks that showed they receive this server's answers. Lookup counts raise an
 * address's volume bar once per client network and hour, and a UDP query's source address is not
 * checked by anyone: one host that can spoof sources would query an address "from" thousands of
 * networks an hour and raise its bar as if the whole Internet mailed with it. A TCP query needs a
 * completed handshake, which a spoofer cannot do, so a TCP query proves its network for
 * {@code trustbl.dns.traffic-proof-hours}; UDP lookups count only from proven networks (and from
 * {@code traffic-proof-exempt} ones).
 * <p>
 * To get proven, the first UDP query of an unproven network (again at most every
 * {@link #CHALLENGE_EVERY_SECONDS}) is answered truncated (TC), and its resolver, as RFC 7766
 * requires, asks again over TCP: one extra round trip per network and day, and that TCP answer is
 * counted. A resolver that cannot use TCP is still answered, only not counted.
 * <p>
 * A fixed table without locks (races only lose or repeat a challenge), two slots per network: a
 * flood of spoofed networks takes the slots of unproven networks, never those of proven ones.
 */
final class ProvenNetworks {

    /** Send the answer and count its lookup. */
    static final int COUNT = 0;
    /** Send the answer; its lookup does not count (the network has not shown it receives answers). */
    static final int SILENT = 1;
    /** Send a truncated answer instead, so that the resolver asks again over TCP. */
    static final int CHALLENGE = 2;

    static final int CHALLENGE_EVERY_SECONDS = 600;
    /**
     * Challenges sent per second at most, all networks together: after a restart (the table is in
     * memory) every resolver's first query would be challenged at once, and their TCP retries
     * would queue for the TCP slots ({@code tcp.max-connections}, 128). Beyond it a query is
     * answered without counting, and its network is challenged later.
     */
    static final int MAX_CHALLENGES_PER_SECOND = 10;
    private static final int SLOTS = 1 << 17;

    private final int proofSeconds;
    private final AddressAcl exempt;
    private final long salt = new java.security.SecureRandom().nextLong();
    private final long[] keys;
    private final int[] provenUntil;
    private final int[] challengedAt;
    private final LongAdder challenges = new LongAdder();
    private final long originNanos = System.nanoTime();
    private volatile int challengeSecond;
    private final java.util.concurrent.atomic.AtomicInteger challengesThisSecond = new java.util.concurrent.atomic.AtomicInteger();

    /** {@code proofSeconds} 0: every lookup counts (nothing is allocated). */
    ProvenNetworks(int proofSeconds, AddressAcl exempt) {
        this.proofSeconds = proofSeconds;
        this.exempt = exempt;
        int n = proofSeconds > 0 ? SLOTS : 0;
        keys = new long[n];
        provenUntil = new int[n];
        challengedAt = new int[n];
    }

    boolean enabled() {
        return proofSeconds > 0;
    }

    /**
     * Seconds since this table was made, from 1 ({@code System.nanoTime} may be negative; the
     * table's "never" is 0 and must lie in the past).
     */
    int second(long nowNanos) {
        return (int) ((nowNanos - originNanos) / 1_000_000_000L) + 1;
    }

    /** Truncated answers sent to get a network proven. */
    long challenges() {
        return challenges.sum();
    }

    /** A query from {@code client} came over TCP: its network is proven. */
    void provenByTcp(InetAddress client, int nowSecond) {
        if (proofSeconds <= 0) {
            return;
        }
        long net = ClientNet.of(client);
        int i = slotOf(net, nowSecond);
        keys[i] = net;
        provenUntil[i] = nowSecond + proofSeconds;
    }

    /** What to do with the UDP answer to {@code client}: {@link #COUNT}, {@link #SILENT} or {@link #CHALLENGE}. */
    int udp(InetAddress client, int nowSecond) {
        return udp(client, ClientNet.of(client), nowSecond);
    }

    /** As above for a client whose network ({@link ClientNet#of}) the caller already has. */
    int udp(InetAddress client, long net, int nowSecond) {
        if (proofSeconds <= 0 || exempt.matches(client)) {
            return COUNT;
        }
        int i = slotOf(net, nowSecond);
        if (keys[i] == net) {
            if (provenUntil[i] - nowSecond > 0) {
                return COUNT;
            }
            if (nowSecond - challengedAt[i] < CHALLENGE_EVERY_SECONDS) {
                return SILENT;
            }
        } else if (provenUntil[i] - nowSecond > 0) {
            return SILENT; // both slots hold proven networks: keep them
        } else {
            keys[i] = net;
            provenUntil[i] = nowSecond;
            challengedAt[i] = nowSecond - CHALLENGE_EVERY_SECONDS; // a new network: its challenge is due
        }
        if (!challengeAllowed(nowSecond)) {
            return SILENT;
        }
        challengedAt[i] = nowSecond;
        challenges.increment();
        return CHALLENGE;
    }

    private boolean challengeAllowed(int nowSecond) {
        if (challengeSecond != nowSecond) {
            challengeSecond = nowSecond; // a race here lets a few more through in that second: harmless
            challengesThisSecond.set(0);
        }
        return challengesThisSecond.incrementAndGet() <= MAX_CHALLENGES_PER_SECOND;
    }

    /** The network's slot of its two: its own, else a free or lapsed one, else the first. */
    private int slotOf(long net, int nowSecond) {
        long h = (net ^ salt) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        int a = (int) (h >>> 40) & (SLOTS - 2); // even: the pair is a, a + 1
        if (keys[a] == net) {
            return a;
        }
        if (keys[a + 1] == net) {
            return a + 1;
        }
        if (provenUntil[a] - nowSecond <= 0) {
            return a;
        }
        return a + 1;
    }
}
