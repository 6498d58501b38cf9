package net.trustbl.gateway.transaction;

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
    /** The gateway's id of this SMTP session: named in every refusal, found on the console. */
    public String sessionId;
    public String helo;
    /** Verified (forward-confirmed) reverse name of the client; null when none or not known yet. */
    public String clientName;
    public boolean esmtp;
    public boolean tls;
    /** Bytes arrived before the banner was sent (pregreet). */
    public boolean pregreet;
    /** Commands sent ahead of a reply while PIPELINING was not offered. */
    public boolean unauthorizedPipelining;
    /** Client IP/CIDR on the allow list: trusted for the whole session (the address is not spoofable). */
    public boolean allowListedIp;
    /** On gateway.deny.ips but allowed by some recipient policy: refused at RCPT unless that policy's recipient. */
    public boolean deniedIpUnlessPolicy;
    /** HELO name on the allow list: until the next HELO/EHLO (client-controlled, spoofable). */
    public boolean allowListedHelo;
    /** DNSBL score of the client, null until looked up. */
    public Integer dnsblScore;
    public String dnsblReason;
    /** True when the lookup in at least one zone failed (timeout, SERVFAIL, error code). */
    public boolean dnsblFailed;
    /**
     * Lowest score the client could have had if the failed zones had answered (their negative
     * weights counted, their positive ones not); equals {@link #dnsblScore} when none failed.
     */
    public Integer dnsblFloor;

    // transaction facts
    /** The gateway's id of the current transaction (Received line, delivery log). */
    public String id;
    public String mailFrom;
    /** MAIL FROM domain on the allow list: this transaction only (sender-controlled, spoofable). */
    public boolean allowListedSender;
    /** SIZE= parameter of MAIL FROM, -1 when absent. */
    public long declaredSize = -1;
    /** The recipient under test at RCPT stage. */
    public String rcpt;
    public final List<String> recipients = new ArrayList<>();
    /** Policy group of the accepted recipients (mixed-policy rule). */
    public String policy;
    /** Policy group of the recipient under test. */
    public String rcptPolicy;
    /** The recipient's policy lets this client through (its allow-ips): no deny list, DNSBL or greylisting. */
    public boolean allowListedForRecipient;
    /** The message once its end of data was read (in memory or spooled); null before. */
    public MessageContent message;
    /** The spam-trap recipient of this transaction: the whole message is refused at its end. */
    public String trapHit;
    public final List<String> addedHeaders = new ArrayList<>();
    public String subjectPrefix;

    public Transaction(InetAddress clientIp) {
        this.clientIp = clientIp;
        this.clientAddress = clientIp.getHostAddress();
    }

    /** Forgets the envelope (RSET, end of a transaction); session facts stay. */
    public void resetEnvelope() {
        id = null;
        mailFrom = null;
        allowListedSender = false;
        declaredSize = -1;
        rcpt = null;
        recipients.clear();
        policy = null;
        rcptPolicy = null;
        allowListedForRecipient = false;
        message = null;
        trapHit = null;
        addedHeaders.clear();
        subjectPrefix = null;
    }

    /**
     * True when any allow list matched (client IP for the session, HELO name until the next HELO,
     * sender domain for this transaction). Allow-listed clients skip greylisting and the DNSBL
     * only; every other filter still applies.
     */
    public boolean allowListed() {
        return allowListedIp || allowListedHelo || allowListedSender || allowListedForRecipient;
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
