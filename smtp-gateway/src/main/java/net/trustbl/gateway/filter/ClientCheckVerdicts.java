package net.trustbl.gateway.filter;

import net.trustbl.gateway.transaction.Transaction;
import org.jboss.logging.Logger;

/**
 * Turns a client check's result into the chain's verdict the same way for every check: a pass
 * (or a result that is not a failure) only records its header; a failure is logged, tagged,
 * deferred or refused as the check's action says; a DNS failure never refuses mail.
 */
final class ClientCheckVerdicts {

    private static final Logger LOG = Logger.getLogger(ClientCheckVerdicts.class);

    private ClientCheckVerdicts() {
    }

    /**
     * @param failed   the check failed (the client is what the check looks for)
     * @param header   the result header(s) for accepted mail ("Name: value" lines joined by CRLF)
     * @param deferred the refusal for action defer; {@code rejected} for action reject
     */
    /**
     * Text that came from DNS (an SPF record's explanation, a PTR name) is the sender's to choose:
     * no control characters may reach a header or a reply line, and it stays short.
     */
    static String clean(String s, int max) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return b.toString();
    }

    static Verdict decide(String check, CheckAction action, Transaction tx, boolean failed, String header,
                          Verdict deferred, Verdict rejected) {
        if (action == CheckAction.LOG) {
            if (failed) {
                LOG.infof("%s failed (action log) for %s helo=%s from=%s: %s", check, tx.clientAddress, tx.helo, tx.mailFrom, header);
            }
            return Verdict.CONTINUE;
        }
        if (failed && action == CheckAction.DEFER) {
            return deferred;
        }
        if (failed && action == CheckAction.REJECT) {
            return rejected;
        }
        if (failed) {
            return Verdict.tag(header, null);
        }
        if (action.addsHeaders() && !tx.addedHeaders.contains(header)) {
            tx.addedHeaders.add(header);
        }
        return Verdict.CONTINUE;
    }
}
