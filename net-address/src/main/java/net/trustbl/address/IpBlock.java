package net.trustbl.address;

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
            long[] hl = IpAddress.parseV6Strict(addr);
            return new IpBlock(true, hl[0], hl[1], prefix);
        }
        return new IpBlock(false, 0, IpAddress.parseV4Strict(addr) & 0xffffffffL, prefix);
    }

    private static int parsePrefix(String p, int max) {
        int v = prefixLength(p, max);
        if (v < 0) {
            throw new IllegalArgumentException("CIDR prefix length must be a number 0.." + max);
        }
        return v;
    }

    /** The decimal prefix length after a CIDR's slash, or -1 unless it is 0..max. */
    public static int prefixLength(String p, int max) {
        if (p.isEmpty() || p.length() > 3) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > max ? -1 : v;
    }

    /** Parses dotted-quad IPv4 strictly (four decimal octets, no leading zeros beyond "0"). */
    public static int parseV4(String s) {
        return IpAddress.parseV4Strict(s);
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

    /** True when the address lies inside this block. */
    public boolean contains(IpAddress address) {
        return contains(address.block());
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
        return IpAddress.formatV4(a);
    }

    static String formatV6(long hi, long lo) {
        return IpAddress.formatV6(hi, lo);
    }

    /** The first address of this block (the address itself when a single address). */
    public IpAddress address() {
        return new IpAddress(v6, v6 ? hi : 0, lo);
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
