package net.trustbl.dns.index;

/**
 * Allocation-light parsing and formatting of IPv4/IPv6 addresses and CIDR blocks. Never touches DNS.
 * IPv4 travels as an int, IPv6 as two longs (hi, lo).
 */
public final class Ip {

    private Ip() {
    }

    /** A parsed block: for IPv4 the address is in {@code lo} (low 32 bits). Network bits only. */
    public record Block(boolean v6, long hi, long lo, int prefix) {

        public int v4() {
            return (int) lo;
        }

        @Override
        public String toString() {
            if (v6) {
                return formatV6(hi, lo) + (prefix == 128 ? "" : "/" + prefix);
            }
            return formatV4((int) lo) + (prefix == 32 ? "" : "/" + prefix);
        }
    }

    /** Parses an address or CIDR block; host bits are cleared. */
    public static Block parseBlock(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an IP address is required");
        }
        String s = text.trim();
        if (s.isEmpty() || s.length() > 50) {
            throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
        }
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (addr.indexOf(':') >= 0) {
            long[] hl = parseV6(addr);
            if (hl == null) {
                throw new IllegalArgumentException("not an IPv6 address: " + text);
            }
            int prefix = slash < 0 ? 128 : parsePrefix(s.substring(slash + 1), 128, text);
            return new Block(true, hl[0] & maskHi(prefix), hl[1] & maskLo(prefix), prefix);
        }
        long v = parseV4(addr);
        if (v < 0) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int prefix = slash < 0 ? 32 : parsePrefix(s.substring(slash + 1), 32, text);
        return new Block(false, 0, (v & mask4(prefix)) & 0xffffffffL, prefix);
    }

    private static int parsePrefix(String p, int max, String text) {
        if (p.isEmpty() || p.length() > 3) {
            throw new IllegalArgumentException("bad prefix length in " + text);
        }
        int v = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            v = v * 10 + (c - '0');
        }
        if (v > max) {
            throw new IllegalArgumentException("prefix length above " + max + " in " + text);
        }
        return v;
    }

    public static int mask4(int prefix) {
        return prefix == 0 ? 0 : (int) (0xffffffffL << (32 - prefix));
    }

    public static long maskHi(int prefix) {
        return prefix >= 64 ? -1L : (prefix == 0 ? 0 : -1L << (64 - prefix));
    }

    public static long maskLo(int prefix) {
        return prefix <= 64 ? 0 : (prefix >= 128 ? -1L : -1L << (128 - prefix));
    }

    /** Dotted quad to an unsigned value, or -1 when not exactly four decimal octets. */
    public static long parseV4(CharSequence s) {
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
            if (i == start || v > 255) {
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

    /** RFC 4291 text (with :: and an optional embedded IPv4 tail) to {hi, lo}, or null. */
    public static long[] parseV6(String s) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (n < 2) {
            return null;
        }
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (n == 2) {
                return new long[] {0, 0};
            }
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            if (count >= 8) {
                return null;
            }
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) != ':') {
                char c = s.charAt(i);
                int d = Character.digit(c, 16);
                if (c == '.') {
                    // embedded IPv4 in the last 32 bits
                    long v4 = parseV4(s.substring(start));
                    if (v4 < 0 || count > 6) {
                        return null;
                    }
                    groups[count++] = (int) (v4 >>> 16);
                    groups[count++] = (int) (v4 & 0xffff);
                    i = n;
                    start = -1;
                    break;
                }
                if (d < 0 || i - start >= 4) {
                    return null;
                }
                v = (v << 4) | d;
                i++;
            }
            if (start == -1) {
                break;
            }
            if (i == start) {
                return null;
            }
            groups[count++] = v;
            if (i < n) {
                i++; // skip ':'
                if (i < n && s.charAt(i) == ':') {
                    if (gap >= 0) {
                        return null;
                    }
                    gap = count;
                    i++;
                } else if (i == n) {
                    return null;
                }
            }
        }
        int[] full = new int[8];
        if (gap >= 0) {
            if (count > 7) {
                return null;
            }
            for (int k = 0; k < gap; k++) {
                full[k] = groups[k];
            }
            int tail = count - gap;
            for (int k = 0; k < tail; k++) {
                full[8 - tail + k] = groups[gap + k];
            }
        } else {
            if (count != 8) {
                return null;
            }
            full = groups;
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = (hi << 16) | full[k];
            lo = (lo << 16) | full[k + 4];
        }
        return new long[] {hi, lo};
    }

    public static String formatV4(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    /** RFC 5952 canonical text (lowercase, longest zero run compressed). */
    public static String formatV6(long hi, long lo) {
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (hi >>> (48 - 16 * k)) & 0xffff;
            g[k + 4] = (int) (lo >>> (48 - 16 * k)) & 0xffff;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] == 0) {
                int j = k;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - k > bestLen) {
                    bestStart = k;
                    bestLen = j - k;
                }
                k = j;
            } else {
                k++;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }

    /** Unsigned 128-bit comparison. */
    public static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compareUnsigned(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }
}
