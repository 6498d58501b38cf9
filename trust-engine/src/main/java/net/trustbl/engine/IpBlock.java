package net.trustbl.engine;

import java.util.Locale;

/**
 * An IPv4 or IPv6 address or CIDR block, canonical and comparable. IPv4 is kept in the low 32
 * bits of {@code lo}; IPv6 in {@code hi}/{@code lo}. Parsing never touches DNS.
 */
public final class IpBlock implements Comparable<IpBlock> {

    private final boolean v6;
    private final long hi;
    private final long lo;
    private final int prefix;

    private IpBlock(boolean v6, long hi, long lo, int prefix) {
        this.v6 = v6;
        this.prefix = prefix;
        // keep only the network part so that equal blocks are equal objects
        if (v6) {
            this.hi = prefix >= 64 ? hi : (prefix == 0 ? 0 : hi & (-1L << (64 - prefix)));
            this.lo = prefix >= 128 ? lo : (prefix <= 64 ? 0 : lo & (-1L << (128 - prefix)));
        } else {
            this.hi = 0;
            this.lo = prefix == 0 ? 0 : (lo & 0xffffffffL) & ((0xffffffffL << (32 - prefix)) & 0xffffffffL);
        }
    }

    public static IpBlock ofV4(int address, int prefix) {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("IPv4 prefix length must be 0..32");
        }
        return new IpBlock(false, 0, address & 0xffffffffL, prefix);
    }

    public static IpBlock ofV6(long hi, long lo, int prefix) {
        if (prefix < 0 || prefix > 128) {
            throw new IllegalArgumentException("IPv6 prefix length must be 0..128");
        }
        return new IpBlock(true, hi, lo, prefix);
    }

    /**
     * Parses {@code 192.0.2.1}, {@code 192.0.2.0/24}, {@code 2001:db8::1}, {@code 2001:db8::/64}.
     *
     * @throws IllegalArgumentException with a message fit for an API error
     */
    public static IpBlock parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an IP address is required");
        }
        String s = text.trim();
        if (s.length() > 60) {
            throw new IllegalArgumentException("not an IP address or CIDR block");
        }
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        boolean v6 = addr.indexOf(':') >= 0;
        int prefix;
        if (slash < 0) {
            prefix = v6 ? 128 : 32;
        } else {
            prefix = parsePrefix(s.substring(slash + 1), v6 ? 128 : 32);
        }
        if (v6) {
            long[] hl = parseV6(addr);
            return new IpBlock(true, hl[0], hl[1], prefix);
        }
        return new IpBlock(false, 0, parseV4(addr) & 0xffffffffL, prefix);
    }

    private static int parsePrefix(String p, int max) {
        if (p.isEmpty() || p.length() > 3) {
            throw new IllegalArgumentException("CIDR prefix length must be a number 0.." + max);
        }
        int v = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("CIDR prefix length must be a number 0.." + max);
            }
            v = v * 10 + (c - '0');
        }
        if (v > max) {
            throw new IllegalArgumentException("CIDR prefix length must be a number 0.." + max);
        }
        return v;
    }

    /** Parses dotted-quad IPv4 strictly (four decimal octets, no leading zeros beyond "0"). */
    public static int parseV4(String s) {
        int result = 0;
        int octets = 0;
        int i = 0;
        int n = s.length();
        while (i <= n) {
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) != '.') {
                char c = s.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    throw new IllegalArgumentException("not an IPv4 address: " + shorten(s));
                }
                v = v * 10 + (c - '0');
                i++;
            }
            if (i == start || v > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                throw new IllegalArgumentException("not an IPv4 address: " + shorten(s));
            }
            result = (result << 8) | v;
            octets++;
            i++;
            if (octets > 4) {
                break;
            }
        }
        if (octets != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + shorten(s));
        }
        return result;
    }

    private static long[] parseV6(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException("not an IPv6 address: " + shorten(s));
            }
        }
        int[] groups = new int[8];
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            throw new IllegalArgumentException("not an IPv6 address: " + shorten(s));
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        if (dbl >= 0 && head.indexOf('.') >= 0) {
            throw new IllegalArgumentException("not an IPv6 address: " + shorten(s)); // a dotted quad only ends an address
        }
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head, s);
        int[] t = groups(tail, s);
        if (dbl < 0 && h.length != 8 || dbl >= 0 && h.length + t.length > 7) {
            throw new IllegalArgumentException("not an IPv6 address: " + shorten(s));
        }
        System.arraycopy(h, 0, groups, 0, h.length);
        System.arraycopy(t, 0, groups, 8 - t.length, t.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[i + 4];
        }
        return new long[] {hi, lo};
    }

    /** Hex groups of one side of "::"; a trailing dotted quad counts as two groups. */
    private static int[] groups(String part, String whole) {
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
                int v4 = parseV4(g);
                out[i] = (v4 >>> 16) & 0xffff;
                out[i + 1] = v4 & 0xffff;
                continue;
            }
            if (g.isEmpty() || g.length() > 4 || g.indexOf('.') >= 0) {
                throw new IllegalArgumentException("not an IPv6 address: " + shorten(whole));
            }
            out[i] = Integer.parseInt(g, 16);
        }
        return out;
    }

    private static String shorten(String s) {
        return s.length() > 45 ? s.substring(0, 45) + "…" : s;
    }

    public boolean isV6() {
        return v6;
    }

    public boolean isSingleAddress() {
        return prefix == (v6 ? 128 : 32);
    }

    public int prefixLength() {
        return prefix;
    }

    /** IPv4 network address as an int (IPv4 only). */
    public int v4() {
        return (int) lo;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    /** True when {@code other} lies inside this block (same family). */
    public boolean contains(IpBlock other) {
        if (other.v6 != v6 || other.prefix < prefix) {
            return false;
        }
        return new IpBlock(v6, other.hi, other.lo, prefix).equals(this);
    }

    /** The block of the given (shorter or equal) prefix that contains this one. */
    public IpBlock widen(int newPrefix) {
        return new IpBlock(v6, hi, lo, Math.min(prefix, newPrefix));
    }

    /** The address class of this block's first address, for input validation. */
    public AddressClass addressClass() {
        return AddressClass.of(this);
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6; with "/n" unless a single address. */
    @Override
    public String toString() {
        String a = v6 ? formatV6(hi, lo) : formatV4((int) lo);
        return isSingleAddress() ? a : a + "/" + prefix;
    }

    public static String formatV4(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    static String formatV6(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
        }
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            return "::ffff:" + formatV4((int) lo); // IPv4-mapped: mixed notation (RFC 5952 section 5)
        }
        // longest run of zero groups (length >= 2) becomes "::" (RFC 5952)
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder(40);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof IpBlock b && b.v6 == v6 && b.hi == hi && b.lo == lo && b.prefix == prefix;
    }

    @Override
    public int hashCode() {
        long h = hi * 31 + lo;
        return (int) (h ^ (h >>> 32)) * 31 + prefix + (v6 ? 1000 : 0);
    }

    @Override
    public int compareTo(IpBlock o) {
        if (v6 != o.v6) {
            return v6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(hi, o.hi);
        if (c == 0) {
            c = Long.compareUnsigned(lo, o.lo);
        }
        return c != 0 ? c : Integer.compare(prefix, o.prefix);
    }
}
