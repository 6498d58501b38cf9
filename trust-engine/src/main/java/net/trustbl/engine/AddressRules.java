package net.trustbl.engine;

import net.trustbl.address.ReturnCode;
import net.trustbl.address.IpBlock;
import java.util.List;

/** Which addresses may be listed at all: RFC 5782 test points, operator allow ranges, block sizes. */
final class AddressRules {

    /** RFC 5782 test points: the first two are always listed, the last two never. */
    static final IpBlock TEST_LISTED = IpBlock.parse("127.0.0.2");
    static final IpBlock TEST_LISTED_V6 = IpBlock.parse("::ffff:127.0.0.2");
    static final IpBlock TEST_UNLISTED = IpBlock.parse("127.0.0.1");
    static final IpBlock TEST_UNLISTED_V6 = IpBlock.parse("::ffff:127.0.0.1");

    /** Return codes (last octet of 127.0.0.x). */
    static final int CODE_REPORTS = ReturnCode.LISTED_ON_REPORTS.code();
    static final int CODE_TRAPS = ReturnCode.LISTED_WITH_TRAP_HITS.code();

    private final List<IpBlock> allowRanges;

    AddressRules(EngineConfig config) {
        this.allowRanges = config.allowRanges();
    }

    static boolean isAlwaysListed(IpBlock ip) {
        return ip.equals(TEST_LISTED) || ip.equals(TEST_LISTED_V6);
    }

    static boolean isNeverListed(IpBlock ip) {
        return ip.equals(TEST_UNLISTED) || ip.equals(TEST_UNLISTED_V6);
    }

    /** Evidence on the RFC 5782 points and on over-wide blocks is ignored (never list the Internet). */
    static boolean reportable(IpBlock ip) {
        if (isAlwaysListed(ip) || isNeverListed(ip)) {
            return false;
        }
        return ip.prefixLength() >= (ip.isV6() ? 64 : 24);
    }

    boolean allowed(IpBlock ip) {
        return overlapsAllowRange(ip);
    }

    /** True when listing {@code ip} would list any part of an operator allow range (or 127.0.0.1). */
    boolean overlapsAllowRange(IpBlock ip) {
        for (int i = 0, n = allowRanges.size(); i < n; i++) {
            IpBlock a = allowRanges.get(i);
            if (a.contains(ip) || ip.contains(a)) {
                return true;
            }
        }
        if (!ip.isSingleAddress()) {
            return ip.contains(TEST_UNLISTED) || ip.contains(TEST_UNLISTED_V6);
        }
        return false;
    }
}
