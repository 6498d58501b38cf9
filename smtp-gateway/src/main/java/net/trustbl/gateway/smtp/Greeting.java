package net.trustbl.gateway.smtp;

import net.trustbl.gateway.filter.Verdict;
import net.trustbl.gateway.transaction.Transaction;

/**
 * The client's HELO/EHLO as the session keeps it: only an accepted one counts. While the HELO
 * filters judge a new name they see it in the transaction ({@code tx.helo}, {@code tx.esmtp}); when
 * they refuse it, the session goes on with what it had before (the earlier accepted name, or none),
 * so a name refused by {@code require-fqdn-helo} or {@code gateway.deny.helos} never reaches the
 * Received line, XFORWARD/XCLIENT, the downstream's EHLO, SPF or {@code helo-dns}.
 */
final class Greeting {

    private final Transaction tx;
    /** An accepted HELO/EHLO since the connection (or since STARTTLS). */
    private boolean seen;
    /** What the transaction held before the name being judged: restored when it is refused. */
    private String previousName;
    private boolean previousEsmtp;
    private boolean previousAllowListed;

    Greeting(Transaction tx) {
        this.tx = tx;
    }

    /** A HELO/EHLO with this name is about to go through the HELO filters. */
    void judging(String name, boolean extended) {
        previousName = tx.helo;
        previousEsmtp = tx.esmtp;
        previousAllowListed = tx.allowListedHelo;
        tx.helo = name;
        tx.esmtp = extended;
    }

    /**
     * The HELO stage's verdict (null when the chain failed). Called before the reply goes out, so
     * that a command pipelined after a refused HELO already sees the earlier name. Accepted is what
     * the session answers 250 to: a verdict that does not stop the chain, or an allow list's ACCEPT.
     */
    void judged(Verdict v) {
        boolean accepted = v != null && (!v.stopsChain() || v.kind() == Verdict.Kind.ACCEPT);
        if (accepted) {
            seen = true;
        } else {
            tx.helo = previousName;
            tx.esmtp = previousEsmtp;
            tx.allowListedHelo = previousAllowListed; // the allow list matched the refused name, if anything
        }
    }

    /** RFC 3207: after STARTTLS the client greets again; nothing said before counts. */
    void forget() {
        seen = false;
        tx.helo = null;
        tx.allowListedHelo = false;
    }

    /** Whether the client has been greeted with an accepted HELO/EHLO. */
    boolean seen() {
        return seen;
    }
}
