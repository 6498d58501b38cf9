package net.trustbl.dns.traffic;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The client network a lookup is counted for: IPv4 /24, IPv6 /48. One network is one independent
 * source of the volume signal (an attacker holds addresses in few of them; a big sender is looked
 * up from many), so every address inside it counts as the same client.
 */
public final class ClientNet {

    private ClientNet() {
    }

    /** The network of {@code client} as a number (family tagged, so IPv4 and IPv6 never meet). */
    public static long of(InetAddress client) {
        if (client instanceof Inet4Address) {
            // Inet4Address.hashCode() is the address itself: no copy of its bytes per query
            return (client.hashCode() & 0xFFFFFF00L) | (4L << 56);
        }
        byte[] b = client.getAddress(); // a 16-byte copy; IPv6 offers no accessor without one
        long net = 0;
        for (int i = 0; i < 6; i++) {
            net = (net << 8) | (b[i] & 255);
        }
        return net | (6L << 56);
    }
}
