package net.trustbl.dns.index;

import net.trustbl.address.IpAddress;
import net.trustbl.address.IpBlock;

/**
 * The zone index's allocation-light CIDR blocks and masks; address text is parsed and formatted by
 * {@link IpAddress} (module net-address). Never touches DNS.
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
        int v = IpBlock.prefixLength(p, max);
        if (v < 0) {
            throw new IllegalArgumentException(p.length() <= 3 && p.chars().allMatch(Character::isDigit) && !p.isEmpty()
                    ? "prefix length above " + max + " in " + text : "bad prefix length in " + text);
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
        return IpAddress.parseV4AllowingLeadingZeros(s);
    }

    /** RFC 4291 text (with :: and an optional embedded IPv4 tail) to {hi, lo}, or null. */
    public static long[] parseV6(String s) {
        return IpAddress.parseV6(s);
    }

    public static String formatV4(int a) {
        return IpAddress.formatV4(a);
    }

    /** RFC 5952 canonical text, every group in hex (the responder's TXT and transfer text). */
    public static String formatV6(long hi, long lo) {
        return IpAddress.formatV6Hex(hi, lo);
    }

    /** Unsigned 128-bit comparison. */
    public static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compareUnsigned(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }
}
