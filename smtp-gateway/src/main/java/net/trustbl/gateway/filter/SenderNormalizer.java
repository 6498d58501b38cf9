package net.trustbl.gateway.filter;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sender of a greylisting triplet, stripped of what changes on every retry of the same mail,
 * as postgrey does: BATV tags ({@code prvs=tag=user@d}), SRS rewriting by forwarders (the original
 * sender is kept), VERP and sub-address extensions ({@code list+user=example.org@d},
 * {@code bounce-123-456@d}) and numbers in the local part. Without it, a list server or forwarder
 * whose envelope differs per attempt would be greylisted for ever.
 */
public final class SenderNormalizer {

    private static final Pattern BATV = Pattern.compile("^(?:prvs|msprvs\\d*|btv1)=[^=]*=(.+)$");
    private static final Pattern BATV_PRVS_OLD = Pattern.compile("^(.+)=[0-9a-z]{10}=prvs$");
    /** SRS0=hash=tt=origdomain=origlocal@forwarder; SRS1 wraps an SRS0 address after "==". */
    private static final Pattern SRS0 = Pattern.compile("^srs0[=+-][^=]*=[^=]*=([^=]+)=(.+)$");
    private static final Pattern SRS1 = Pattern.compile("^srs1[=+-][^=]*=[^=]*==[^=]*=[^=]*=([^=]+)=(.+)$");
    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    private SenderNormalizer() {
    }

    /** "<>" for the null sender; otherwise local@domain, lower case, normalised. */
    public static String normalize(String sender) {
        if (sender == null || sender.isBlank() || sender.equals("<>")) {
            return "<>";
        }
        String s = sender.trim().toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf('@');
        if (at <= 0) {
            return s;
        }
        String local = s.substring(0, at);
        String domain = s.substring(at + 1);
        Matcher m = SRS1.matcher(local);
        if (!m.matches()) {
            m = SRS0.matcher(local);
        }
        if (m.matches()) {
            domain = m.group(1);
            local = m.group(2);
        }
        m = BATV.matcher(local);
        if (m.matches()) {
            local = m.group(1);
        } else if ((m = BATV_PRVS_OLD.matcher(local)).matches()) {
            local = m.group(1);
        }
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        local = NUMBERS.matcher(local).replaceAll("#");
        return local + "@" + domain;
    }
}
