package net.trustbl.dns.index;

/** An immutable IPv4 + IPv6 listing index. */
public final class ZoneIndex {

    public static final ZoneIndex EMPTY = new ZoneIndex(V4Table.EMPTY, V6Table.EMPTY);
    /** Returned by the find methods when nothing is listed. */
    public static final long NONE = V4Table.NONE;

    private final V4Table v4;
    private final V6Table v6;

    ZoneIndex(V4Table v4, V6Table v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    V4Table v4() {
        return v4;
    }

    V6Table v6() {
        return v6;
    }

    public int size() {
        return v4.size() + v6.size();
    }

    /** {@code code << 32 | floatBits(score)} of the most specific listing, or {@link #NONE}. */
    public long findV4(int ip) {
        return v4.find(ip);
    }

    /** The code of the most specific IPv4 listing, 0 when none (or an exclusion); no score read. */
    public int findCodeV4(int ip) {
        return v4.findCode(ip);
    }

    public long findV6(long hi, long lo) {
        return v6.find(hi, lo);
    }

    /** The entry stored at exactly this block (an exclusion has code 0), or {@link #NONE}. */
    long exact(boolean v6, long hi, long lo, int prefix) {
        return v6 ? this.v6.exact(hi, lo, prefix) : v4.exact((int) lo, prefix);
    }

    /** Whether a block (listed or an exclusion) shorter than {@code prefix} contains this one. */
    public boolean insideShorterBlock(boolean v6, long hi, long lo, int prefix) {
        for (int p = prefix - 1; p >= 0; p--) {
            if (v6 ? this.v6.exact(hi & Ip.maskHi(p), lo & Ip.maskLo(p), p) != NONE
                    : v4.exact((int) lo & Ip.mask4(p), p) != NONE) {
                return true;
            }
        }
        return false;
    }

    public static int code(long found) {
        return (int) (found >>> 32) & 255;
    }

    public static float score(long found) {
        return Float.intBitsToFloat((int) found);
    }

    /** Visits every entry, IPv4 first, each family by prefix length then address. */
    public void forEach(EntryVisitor v) {
        v4.forEach(v);
        v6.forEach(v);
    }
}
