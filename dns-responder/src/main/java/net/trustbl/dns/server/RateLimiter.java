package net.trustbl.dns.server;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Response rate limiting per client network (/24 for IPv4, /56 for IPv6), in one-second windows.
 * A fixed-size table shared by the server threads without locks: a lost update under a race only
 * makes the limit slightly approximate, which RRL tolerates by design. Over the limit, every
 * {@code slip}-th response is sent truncated (so a real client retries over TCP) and the rest dropped.
 */
final class RateLimiter {

    static final int SEND = 0;
    static final int DROP = 1;
    static final int SLIP = 2;

    private static final int SLOTS = 1 << 16;

    private final int limit;
    private final int slip;
    private final AddressAcl exempt;
    private final long[] keys = new long[SLOTS];
    private final int[] windows = new int[SLOTS];
    private final int[] counts = new int[SLOTS];
    private final int[] slips = new int[SLOTS];
    /**
     * Secret per process: with a known hash, a spoofer could pick a network whose slot is the
     * victim's and alternate the two, resetting the victim's count at every packet.
     */
    private final long salt;

    RateLimiter(int limit, int slip, AddressAcl exempt) {
        this(limit, slip, exempt, new java.security.SecureRandom().nextLong());
    }

    /** With a given hash salt (tests: the same slots every run). */
    RateLimiter(int limit, int slip, AddressAcl exempt, long salt) {
        this.limit = limit;
        this.slip = slip;
        this.exempt = exempt;
        this.salt = salt;
    }

    boolean enabled() {
        return limit > 0;
    }

    int check(InetAddress client, int nowSecond) {
        if (limit <= 0 || exempt.matches(client)) {
            return SEND;
        }
        long key;
        if (client instanceof Inet4Address) {
            key = (client.hashCode() & 0xffffff00L) | (1L << 40);
        } else {
            byte[] b = client.getAddress();
            key = 0;
            for (int i = 0; i < 7; i++) {
                key = (key << 8) | (b[i] & 255);
            }
            key = (key << 8) | 0x80L; // /56, tagged apart from IPv4 keys
        }
        long h = (key ^ salt) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        int i = (int) (h >>> 48) & (SLOTS - 1);
        if (keys[i] != key && windows[i] == nowSecond && counts[i] > limit) {
            // the slot's network is being limited this second: it keeps the slot, so that a flood
            // of other (spoofed) networks cannot reset its count; this client is not counted
            return SEND;
        }
        if (keys[i] != key || windows[i] != nowSecond) {
            keys[i] = key;
            windows[i] = nowSecond;
            counts[i] = 1;
            return SEND;
        }
        int n = ++counts[i];
        if (n <= limit) {
            return SEND;
        }
        if (slip > 0 && (++slips[i] % slip) == 0) {
            return SLIP;
        }
        return DROP;
    }
}
