package net.trustbl.address;

/**
 * Where an address sits in the special-purpose registries (RFC 6890 and friends). Only PUBLIC
 * addresses can be reported; the RFC 5782 test points are fixed by the protocol.
 */
public enum AddressClass {
    PUBLIC(null),
    /** 127.0.0.2 / ::ffff:127.0.0.2: always listed (RFC 5782). */
    TEST_POINT_LISTED(null),
    /** 127.0.0.1 / ::ffff:127.0.0.1: never listed (RFC 5782). */
    TEST_POINT_UNLISTED("127.0.0.1 is the RFC 5782 test point that must never be listed"),
    PRIVATE("private address space (RFC 1918 / RFC 4193) cannot be reported"),
    LOOPBACK("loopback addresses cannot be reported"),
    LINK_LOCAL("link-local addresses cannot be reported"),
    MULTICAST("multicast addresses cannot be reported"),
    DOCUMENTATION("documentation ranges (RFC 5737 / RFC 3849) cannot be reported"),
    SHARED("shared address space (100.64.0.0/10, RFC 6598) cannot be reported"),
    RESERVED("reserved or unspecified address space cannot be reported");

    private final String rule;

    AddressClass(String rule) {
        this.rule = rule;
    }

    /** Why a report of this class is refused; null when it is acceptable. */
    public String rejection() {
        return rule;
    }

    public static AddressClass of(IpBlock b) {
        if (!b.isV6()) {
            return ofV4(b.v4());
        }
        long hi = b.hi();
        long lo = b.lo();
        // IPv4-mapped ::ffff:a.b.c.d judged as the IPv4 address
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            return ofV4((int) lo);
        }
        if (hi == 0 && lo == 1) {
            return LOOPBACK;
        }
        if (hi == 0 && (lo == 0 || (lo >>> 32) == 0)) {
            return RESERVED; // unspecified and IPv4-compatible
        }
        int top16 = (int) (hi >>> 48);
        if ((top16 & 0xfe00) == 0xfc00) {
            return PRIVATE; // fc00::/7 unique local
        }
        if ((top16 & 0xffc0) == 0xfe80) {
            return LINK_LOCAL;
        }
        if ((top16 & 0xff00) == 0xff00) {
            return MULTICAST;
        }
        if ((hi >>> 32) == 0x20010db8L || (top16 == 0x3fff && ((hi >>> 32) & 0xf000) == 0)) {
            return DOCUMENTATION; // 2001:db8::/32, 3fff::/20
        }
        if ((top16 & 0xe000) != 0x2000) {
            return RESERVED; // only 2000::/3 is global unicast
        }
        return PUBLIC;
    }

    static AddressClass ofV4(int a) {
        int o1 = (a >>> 24) & 0xff;
        int o2 = (a >>> 16) & 0xff;
        int o3 = (a >>> 8) & 0xff;
        if (a == 0x7f000002) {
            return TEST_POINT_LISTED;
        }
        if (a == 0x7f000001) {
            return TEST_POINT_UNLISTED;
        }
        if (o1 == 127) {
            return LOOPBACK;
        }
        if (o1 == 10 || (o1 == 172 && (o2 & 0xf0) == 16) || (o1 == 192 && o2 == 168)) {
            return PRIVATE;
        }
        if (o1 == 169 && o2 == 254) {
            return LINK_LOCAL;
        }
        if (o1 >= 224 && o1 <= 239) {
            return MULTICAST;
        }
        if ((o1 == 192 && o2 == 0 && o3 == 2) || (o1 == 198 && o2 == 51 && o3 == 100)
                || (o1 == 203 && o2 == 0 && o3 == 113)) {
            return DOCUMENTATION;
        }
        if (o1 == 100 && (o2 & 0xc0) == 64) {
            return SHARED;
        }
        if (o1 == 0 || o1 >= 240 || (o1 == 192 && o2 == 0 && o3 == 0) || (o1 == 198 && (o2 & 0xfe) == 18)) {
            return RESERVED; // this-network, class E/broadcast, IETF protocol assignments, benchmarking
        }
        return PUBLIC;
    }
}
