package net.trustbl.gateway.smtp;

import net.trustbl.gateway.transaction.Transaction;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The trace line the gateway puts on top of every message it relays (RFC 5321 4.4), in the form
 * Postfix writes, which report parsers (TrustBL's evidence module among them) read:
 * {@code from HELO (NAME [IP]) by HOST (TrustBL gateway) with ESMTP id ID for <rcpt>; date}.
 * NAME is the verified reverse name or "unknown"; "for" only with a single recipient, so one copy
 * never lists the other recipients.
 */
public final class ReceivedHeader {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT);
    /**
     * The date text of the latest second formatted: every message of that second has the same one,
     * and formatting it (locale text lookups) cost more than the rest of the line.
     */
    private static volatile FormattedSecond lastDate = new FormattedSecond(Long.MIN_VALUE, "");

    private record FormattedSecond(long epochSecond, String text) {
    }

    private ReceivedHeader() {
    }

    public static String build(Transaction tx, String host, ZonedDateTime now) {
        StringBuilder sb = new StringBuilder("Received: from ").append(safe(tx.helo))
                .append(" (").append(tx.clientName == null ? "unknown" : tx.clientName)
                .append(" [").append(tx.clientAddress).append("])\r\n\tby ").append(host)
                .append(" (TrustBL gateway) with ").append(protocol(tx)).append(" id ").append(tx.id);
        if (tx.recipients.size() == 1) {
            sb.append("\r\n\tfor <").append(tx.recipients.get(0)).append('>');
        }
        return sb.append("; ").append(date(now)).toString();
    }

    static String date(ZonedDateTime now) {
        long second = now.toEpochSecond();
        FormattedSecond cached = lastDate;
        if (cached.epochSecond() != second) {
            cached = new FormattedSecond(second, DATE.format(now.withZoneSameInstant(ZoneOffset.UTC)));
            lastDate = cached;
        }
        return cached.text();
    }

    /** RFC 3848 protocol names: ESMTPS with STARTTLS, ESMTP after EHLO, SMTP after HELO. */
    public static String protocol(Transaction tx) {
        if (tx.tls) {
            return "ESMTPS";
        }
        return tx.esmtp ? "ESMTP" : "SMTP";
    }

    /** The HELO as sent, with what would end the clause or the comment replaced. */
    static String safe(String helo) {
        if (helo == null || helo.isEmpty()) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder(helo.length());
        for (int i = 0; i < helo.length() && i < 255; i++) {
            char c = helo.charAt(i);
            sb.append(c > 0x20 && c < 0x7f && "();\\\"".indexOf(c) < 0 ? c : '?');
        }
        return sb.toString();
    }
}
