package net.trustbl.dns.server;

import org.xbill.DNS.Name;

/**
 * The RFC 5782 test point names: 127.0.0.2 (always listed) and 127.0.0.1 (never), and their IPv6
 * forms ::ffff:7f00:2 and ::ffff:7f00:1, with or without a member key label. Clients probe them
 * to see that the list works, so they answer even while a replica fails closed.
 */
final class TestPoints {

    /** The nibble labels of ::ffff:7f00:N from the first label on, without the final digit N. */
    private static final String V6_AFTER_FIRST = "00000f7ffff00000000000000000000";

    private TestPoints() {
    }

    /** {@code rel}: the labels of {@code name} below its zone's apex. */
    static boolean isTestPointName(Name name, int rel) {
        int ipLabels = rel == 5 || rel == 33 ? rel - 1 : rel; // a member key label comes last
        String first = name.getLabelString(0);
        if (!"1".equals(first) && !"2".equals(first)) {
            return false;
        }
        if (ipLabels == 4) {
            return "0".equals(name.getLabelString(1)) && "0".equals(name.getLabelString(2))
                    && "127".equals(name.getLabelString(3));
        }
        if (ipLabels == 32) {
            for (int i = 1; i < 32; i++) {
                if (!name.getLabelString(i).equalsIgnoreCase(V6_AFTER_FIRST.substring(i - 1, i))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
