package net.trustbl.gateway.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The keys per-client state is counted under. A host is given a whole IPv6 /64, so per address
 * one host could stand for 2^64 clients; connection limits, spam-trap blocks and greylisting count
 * the /64 (Postfix's {@code smtpd_client_ipv6_prefix_length} does the same). Here, below every
 * package that keeps such state, so that none of them depends on another for it.
 */
public final class ClientKeys {

    private ClientKeys() {
    }

    /** What {@code max-connections-per-ip} and the spam-trap blocks count: an IPv4 address, or an IPv6 /64. */
    public static String connectionKey(InetAddress ip) {
        return ip instanceof Inet6Address ? clientNet(ip) : ip.getHostAddress();
    }

    /** The client network of the greylisting triplet: /24 for IPv4, /64 for IPv6 (postgrey). */
    public static String clientNet(InetAddress ip) {
        byte[] a = ip.getAddress();
        if (ip instanceof Inet4Address) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + ".0/24";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            sb.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
        }
        return sb.append(":/64").toString();
    }
}
