package net.trustbl.address;

import java.util.Arrays;
import java.util.Locale;

/**
 * One IPv4 or IPv6 address: parsing, RFC 5952 formatting, raw bytes and the reversed labels of a
 * DNSxL query name. Never touches DNS. IPv4 sits in the low 32 bits of {@code lo}. The static
 * methods work on primitives so that the DNS hot paths allocate nothing.
 *
 * @param v6 true for IPv6
 * @param hi the high 64 bits (IPv6 only; 0 for IPv4)
 * @param lo the low 64 bits, or the IPv4 address in its low 32 bits
 */
public record IpAddress(boolean v6, long hi, long lo) {

    public IpAddress {
        if (!v6 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("an IPv4 address has 32 bits");
        }
    }

    public static IpAddress ofV4(int address) {
        return new IpAddress(false, 0, address & 0xffffffffL);
    }

    /**
     * Parses {@code 192.0.2.1} or {@code 2001:db8::1} (no prefix): four decimal octets without
     * leading zeros (which some parsers read as octal), or RFC 4291 text with an optional
     * dotted-quad tail.
     *
     * @throws IllegalArgumentException with a message fit for an API error
     */
    public static IpAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an IP address is required");
        }
        String s = text.trim();
        if (s.length() > 45) {
            throw new IllegalArgumentException("not an IP address: " + shorten(s));
        }
        if (s.indexOf(':') >= 0) {
            long[] hl = parseV6Strict(s);
            return new IpAddress(true, hl[0], hl[1]);
        }
        return ofV4(parseV4Strict(s));
    }

    /** Dotted quad to its int; throws unless exactly four decimal octets without leading zeros. */
    public static int parseV4Strict(String s) {
        long v = parseV4(s);
        if (v < 0) {
            throw new IllegalArgumentException("not an IPv4 address: " + shorten(s));
        }
        return (int) v;
    }

    /**
     * Dotted quad to an unsigned value, or -1 unless exactly four decimal octets of at most three
     * digits, each 0..255 and without a leading zero.
     */
    public static long parseV4(CharSequence s) {
        return parseV4(s, false);
    }

    /**
     * As {@link #parseV4(CharSequence)}, but {@code 010} reads as ten: rbldnsd files, zone
     * transfers and the responder's settings have always been read this way.
     */
    public static long parseV4AllowingLeadingZeros(CharSequence s) {
        return parseV4(s, true);
    }

    private static long parseV4(CharSequence s, boolean leadingZeros) {
        int n = s.length();
        long result = 0;
        int octets = 0;
        int i = 0;
        while (i <= n) {
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) != '.') {
                char c = s.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    return -1;
                }
                v = v * 10 + (c - '0');
                i++;
            }
            if (i == start || v > 255 || (!leadingZeros && i - start > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            result = (result << 8) | v;
            octets++;
            i++;
            if (octets == 4) {
                return i == n + 1 ? result : -1;
            }
        }
        return -1;
    }

    /** RFC 4291 text to {hi, lo}; throws with a message fit for an API error. */
    public static long[] parseV6Strict(String s) {
        long[] hl = parseV6(s);
        if (hl == null) {
            throw new IllegalArgumentException("not an IPv6 address: " + shorten(s));
        }
        return hl;
    }

    /** RFC 4291 text (with "::" and an optional dotted-quad tail) to {hi, lo}, or null. */
    public static long[] parseV6(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        if (dbl >= 0 && head.indexOf('.') >= 0) {
            return null; // a dotted quad only ends an address
        }
        int[] h = groups(head);
        int[] t = dbl >= 0 ? groups(s.substring(dbl + 2)) : new int[0];
        if (h == null || t == null || dbl < 0 && h.length != 8 || dbl >= 0 && h.length + t.length > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(t, 0, all, 8 - t.length, t.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | all[i];
            lo = (lo << 16) | all[i + 4];
        }
        return new long[] {hi, lo};
    }

    /** Hex groups of one side of "::" (a trailing dotted quad counts as two), or null. */
    private static int[] groups(String part) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] items = part.split(":", -1);
        int count = items.length;
        boolean quad = items[count - 1].indexOf('.') >= 0;
        int[] out = new int[quad ? count + 1 : count];
        for (int i = 0; i < count; i++) {
            String g = items[i];
            if (quad && i == count - 1) {
                long v4 = parseV4(g);
                if (v4 < 0) {
                    return null;
                }
                out[i] = (int) (v4 >>> 16) & 0xffff;
                out[i + 1] = (int) v4 & 0xffff;
                continue;
            }
            if (g.isEmpty() || g.length() > 4 || !isHex(g)) {
                return null;
            }
            out[i] = Integer.parseInt(g, 16);
        }
        return out;
    }

    private static boolean isHex(String g) {
        for (int i = 0; i < g.length(); i++) {
            if (Character.digit(g.charAt(i), 16) < 0 || g.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }

    /** The 4 or 16 bytes of an {@code InetAddress.getAddress()}, in network order. */
    public static IpAddress fromBytes(byte[] b) {
        if (b.length == 4) {
            return ofV4(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        }
        if (b.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + b.length);
        }
        return new IpAddress(true, longAt(b, 0), longAt(b, 8));
    }

    private static long longAt(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    public byte[] toBytes() {
        byte[] out = new byte[v6 ? 16 : 4];
        if (!v6) {
            for (int i = 0; i < 4; i++) {
                out[i] = (byte) (lo >>> (24 - 8 * i));
            }
            return out;
        }
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }

    /**
     * The address of a DNSxL query name's leading labels, least significant first: four decimal
     * octets ({@code 4.3.2.1} for 1.2.3.4) or 32 hex nibbles for IPv6 (RFC 5782).
     *
     * @throws IllegalArgumentException when the labels are neither
     */
    public static IpAddress fromReversedLabels(String... labels) {
        if (labels.length == 4 && Arrays.stream(labels).allMatch(IpAddress::isOctetLabel)) {
            int ip = 0;
            for (int i = 3; i >= 0; i--) {
                ip = (ip << 8) | Integer.parseInt(labels[i]);
            }
            return ofV4(ip);
        }
        if (labels.length == 32 && Arrays.stream(labels).allMatch(IpAddress::isNibbleLabel)) {
            long hi = 0;
            long lo = 0;
            for (int i = 31; i >= 0; i--) {
                int d = Character.digit(labels[i].charAt(0), 16);
                if (i >= 16) {
                    hi = (hi << 4) | d;
                } else {
                    lo = (lo << 4) | d;
                }
            }
            return new IpAddress(true, hi, lo);
        }
        throw new IllegalArgumentException("not a reversed IP address: " + shorten(String.join(".", labels)));
    }

    /** The query labels of this address, least significant first, joined by dots (no zone). */
    public String reversedName() {
        StringBuilder sb = new StringBuilder(v6 ? 64 : 16);
        if (!v6) {
            for (int i = 0; i < 4; i++) {
                sb.append(i == 0 ? "" : ".").append((lo >>> (8 * i)) & 0xff);
            }
            return sb.toString();
        }
        for (int i = 0; i < 32; i++) {
            long half = i < 16 ? lo : hi;
            sb.append(i == 0 ? "" : ".").append(Character.forDigit((int) (half >>> (4 * (i % 16))) & 0xf, 16));
        }
        return sb.toString();
    }

    /** One label of a reversed IPv4 name: 0..255 in decimal, no leading zero. */
    public static boolean isOctetLabel(String l) {
        int n = l.length();
        return n > 0 && n <= 3 && parseV4(l + ".0.0.0") >= 0;
    }

    /** One label of a reversed IPv6 name: a single hex digit. */
    public static boolean isNibbleLabel(String l) {
        return l.length() == 1 && Character.digit(l.charAt(0), 16) >= 0;
    }

    /** This address as a single-address block. */
    public IpBlock block() {
        return v6 ? IpBlock.ofV6(hi, lo, 128) : IpBlock.ofV4((int) lo, 32);
    }

    /** The IPv4 /24 (or IPv6 /64) around this address, as spam sources are grouped. */
    public IpBlock network() {
        return block().widen(v6 ? 64 : 24);
    }

    /** True for ::ffff:a.b.c.d, which is judged as the IPv4 address. */
    public boolean isV4Mapped() {
        return v6 && hi == 0 && (lo >>> 32) == 0xffffL;
    }

    @Override
    public String toString() {
        return v6 ? formatV6(hi, lo) : formatV4((int) lo);
    }

    public static String formatV4(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /** RFC 5952 text: lowercase, the longest run of two or more zero groups as "::". */
    public static String formatV6(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            return "::ffff:" + formatV4((int) lo); // IPv4-mapped: mixed notation (RFC 5952 section 5)
        }
        return formatV6Hex(hi, lo);
    }

    /** RFC 5952 text with every group in hex, IPv4-mapped included ({@code ::ffff:7f00:2}). */
    public static String formatV6Hex(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    static String shorten(String s) {
        return s.length() > 45 ? s.substring(0, 45) + "…" : s;
    }
}
