package net.trustbl.gateway.filter;

import io.vertx.core.buffer.Buffer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What the filters see of one client session and its current mail transaction. Plain data, owned
 * by the session's event loop (no locking).
 */
public final class Transaction {

    public final InetAddress clientIp;
    public final String clientAddress;

    // session-wide facts
    public String helo;
    public boolean esmtp;
    public boolean tls;
    /** Bytes arrived before the banner was sent (pregreet). */
    public boolean pregreet;
    /** Commands sent ahead of a reply while PIPELINING was not offered. */
    public boolean unauthorizedPipelining;
    public boolean allowListed;
    /** DNSBL score of the client, null until looked up. */
    public Integer dnsblScore;
    public String dnsblReason;
    /** True when a DNSBL lookup failed and the operator wants fail-closed. */
    public boolean dnsblFailed;

    // transaction facts
    public String mailFrom;
    /** SIZE= parameter of MAIL FROM, -1 when absent. */
    public long declaredSize = -1;
    /** The recipient under test at RCPT stage. */
    public String rcpt;
    public final List<String> recipients = new ArrayList<>();
    /** Policy group of the accepted recipients (mixed-policy rule). */
    public String policy;
    /** Policy group of the recipient under test. */
    public String rcptPolicy;
    public Buffer message;
    public final List<String> addedHeaders = new ArrayList<>();
    public String subjectPrefix;
    /** Milliseconds the next reply waits (tarpit). */
    public long replyDelayMillis;
    /** Count of RCPT commands in this transaction, accepted or not (for the tarpit). */
    public int rcptCommands;

    public Transaction(InetAddress clientIp) {
        this.clientIp = clientIp;
        this.clientAddress = clientIp.getHostAddress();
    }

    /** Forgets the envelope (RSET, end of a transaction); session facts stay. */
    public void resetEnvelope() {
        mailFrom = null;
        declaredSize = -1;
        rcpt = null;
        recipients.clear();
        policy = null;
        rcptPolicy = null;
        message = null;
        addedHeaders.clear();
        subjectPrefix = null;
        replyDelayMillis = 0;
        rcptCommands = 0;
    }

    /** Domain of the envelope sender, "" for the null sender. */
    public String senderDomain() {
        if (mailFrom == null) {
            return "";
        }
        int at = mailFrom.lastIndexOf('@');
        return at < 0 ? "" : mailFrom.substring(at + 1).toLowerCase();
    }
}
