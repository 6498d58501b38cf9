package net.trustbl.gateway.dns;

import net.trustbl.address.IpAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of postscreen_dnsbl_sites syntax: {@code zone[=filter][*weight]}. The filter matches
 * the A record returned; each of its four octets is a number, {@code [a..b]} or {@code [a;b;c]}.
 * Without a filter every 127.0.0.0/8 answer matches except the 127.255.255.0/24 error codes
 * (Spamhaus: "public resolver", "over quota"), which are never a listing.
 */
public record DnsblSite(String zone, int[][] filter, int weight) {

    public static List<DnsblSite> parseList(String text) {
        List<DnsblSite> sites = new ArrayList<>();
        if (text == null) {
            return sites;
        }
        for (String part : text.split("[,\\s]+")) {
            if (!part.isBlank()) {
                sites.add(parse(part.trim()));
            }
        }
        return sites;
    }

    public static DnsblSite parse(String entry) {
        String rest = entry;
        int weight = 1;
        int star = rest.lastIndexOf('*');
        if (star >= 0) {
            weight = Integer.parseInt(rest.substring(star + 1).trim());
            rest = rest.substring(0, star);
        }
        int[][] filter = null;
        int eq = rest.indexOf('=');
        if (eq >= 0) {
            filter = parseFilter(rest.substring(eq + 1), entry);
            rest = rest.substring(0, eq);
        }
        String zone = rest.trim().toLowerCase();
        if (zone.endsWith(".")) {
            zone = zone.substring(0, zone.length() - 1);
        }
        if (!zone.matches("[a-z0-9_]([a-z0-9_.-]*[a-z0-9])?")) {
            throw new IllegalArgumentException("bad DNSBL zone in '" + entry + "'");
        }
        return new DnsblSite(zone, filter, weight);
    }

    /** Each octet becomes the list of accepted values as a 256-bit set (int[8]). */
    private static int[][] parseFilter(String f, String entry) {
        List<String> octets = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (char c : f.toCharArray()) {
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            }
            if (c == '.' && depth == 0) {
                octets.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        octets.add(cur.toString());
        if (octets.size() != 4) {
            throw new IllegalArgumentException("DNSBL filter needs four octets in '" + entry + "'");
        }
        int[][] sets = new int[4][];
        for (int i = 0; i < 4; i++) {
            sets[i] = octetSet(octets.get(i).trim(), entry);
        }
        return sets;
    }

    private static int[] octetSet(String spec, String entry) {
        int[] bits = new int[8];
        String body = spec;
        if (spec.startsWith("[") && spec.endsWith("]")) {
            body = spec.substring(1, spec.length() - 1);
        } else if (!spec.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("bad DNSBL filter octet '" + spec + "' in '" + entry + "'");
        }
        for (String item : body.split(";")) {
            String t = item.trim();
            int dots = t.indexOf("..");
            int lo = Integer.parseInt(dots < 0 ? t : t.substring(0, dots));
            int hi = dots < 0 ? lo : Integer.parseInt(t.substring(dots + 2));
            if (lo < 0 || hi > 255 || lo > hi) {
                throw new IllegalArgumentException("bad DNSBL filter range '" + t + "' in '" + entry + "'");
            }
            for (int v = lo; v <= hi; v++) {
                bits[v >> 5] |= 1 << (v & 31);
            }
        }
        return bits;
    }

    /** Whether an A record returned by this zone counts as a listing. */
    public boolean matches(String returned) {
        byte[] a;
        try {
            a = InetAddress.getByName(returned).getAddress();
        } catch (Exception e) {
            return false;
        }
        if (a.length != 4) {
            return false;
        }
        if (filter == null) {
            return (a[0] & 0xff) == 127 && !((a[1] & 0xff) == 255 && (a[2] & 0xff) == 255);
        }
        for (int i = 0; i < 4; i++) {
            int v = a[i] & 0xff;
            if ((filter[i][v >> 5] & (1 << (v & 31))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** True for Spamhaus-style error answers (127.255.255.0/24): the query failed, nothing is listed. */
    public static boolean errorCode(String returned) {
        return returned.startsWith("127.255.255.");
    }

    /** The query name: reversed octets (IPv4) or 32 reversed nibbles (IPv6) under the zone. */
    public String queryName(InetAddress ip) {
        return IpAddress.fromBytes(ip.getAddress()).reversedName() + "." + zone;
    }
}
