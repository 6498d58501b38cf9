package net.trustbl.common;

import net.trustbl.address.IpBlock;

/**
 * The keys per-client limits count under. One IPv4 address is one client, but one IPv6
 * subscriber holds a whole /64 (2^64 addresses to rotate through), so the /64 is the client;
 * the client's network is the IPv4 /24 or the IPv6 /48 (one site or customer), so that a client
 * hopping through the addresses of its own network still shares one bucket.
 */
public final class ClientPrefix {

    private ClientPrefix() {
    }

    /** The client: the IPv4 address, or the IPv6 /64 that holds the address. */
    public static String client(String address) {
        return prefix(address, 32, 64);
    }

    /** The client's network: the IPv4 /24, or the IPv6 /48. */
    public static String network(String address) {
        return prefix(address, 24, 48);
    }

    private static String prefix(String address, int v4, int v6) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String a = address.trim();
        if (a.regionMatches(true, 0, "::ffff:", 0, 7) && a.indexOf('.') > 0) {
            a = a.substring(7); // an IPv4 client seen through a dual-stack socket
        }
        int zone = a.indexOf('%');
        if (zone > 0) {
            a = a.substring(0, zone);
        }
        try {
            IpBlock ip = IpBlock.parse(a);
            return ip.widen(ip.isV6() ? v6 : v4).toString();
        } catch (IllegalArgumentException notAnAddress) {
            // not an address (a test double, a unix socket): count it as itself, bounded
            return a.length() > 64 ? a.substring(0, 64) : a;
        }
    }
}
