package net.trustbl.dns.standalone;

/**
 * rbldnsd's IPv4 range forms, as its ip4set files use them: {@code a.b.c.d}, abbreviated networks
 * {@code a.b.c} (/24), {@code a.b} (/16), {@code a} (/8), CIDR {@code a.b.c.d/len} (also abbreviated,
 * {@code 10/8}), and ranges {@code a.b.c.d-e.f.g.h} whose end may give only its last octets
 * ({@code a.b.c.d-e} = up to {@code a.b.c.e}; {@code a.b.c-d} = {@code a.b.c.0} to {@code a.b.d.255}).
 */
final class Ip4Range {

    private Ip4Range() {
    }

    /**
     * The inclusive range {start, end} (unsigned 32-bit values) of a token.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static long[] parse(String token) {
        int dash = token.indexOf('-');
        if (dash >= 0) {
            int[] first = octets(token.substring(0, dash));
            int[] last = octets(token.substring(dash + 1));
            if (last.length > first.length) {
                throw new IllegalArgumentException("the end of the range has more octets than its start");
            }
            int[] end = first.clone();
            System.arraycopy(last, 0, end, first.length - last.length, last.length);
            long a = padded(first, 0);
            long b = padded(end, 255);
            if (b < a) {
                throw new IllegalArgumentException("the range ends before it starts");
            }
            return new long[] {a, b};
        }
        int slash = token.indexOf('/');
        int[] o = octets(slash < 0 ? token : token.substring(0, slash));
        int prefix = slash < 0 ? o.length * 8 : prefix(token.substring(slash + 1));
        long net = padded(o, 0) & (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        long size = 1L << (32 - prefix);
        return new long[] {net, net + size - 1};
    }

    private static int prefix(String p) {
        try {
            int v = Integer.parseInt(p);
            if (v >= 0 && v <= 32 && p.length() <= 2) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad prefix length /" + p);
    }

    /** 1 to 4 decimal octets. */
    private static int[] octets(String s) {
        String[] parts = s.split("\\.", -1);
        if (s.isEmpty() || parts.length > 4) {
            throw new IllegalArgumentException("not an IPv4 address or range");
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !isDigits(p)) {
                throw new IllegalArgumentException("not an IPv4 address or range");
            }
            out[i] = Integer.parseInt(p);
            if (out[i] > 255) {
                throw new IllegalArgumentException("octet above 255");
            }
        }
        return out;
    }

    private static boolean isDigits(String p) {
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long padded(int[] octets, int fill) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (i < octets.length ? octets[i] : fill);
        }
        return v;
    }
}
