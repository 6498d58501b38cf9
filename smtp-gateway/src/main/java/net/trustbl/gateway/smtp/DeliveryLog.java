package net.trustbl.gateway.smtp;

import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.transaction.Transaction;
import org.jboss.logging.Logger;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One log line per delivered message, under the category {@code net.trustbl.gateway.delivery}:
 * the gateway's id, client, HELO, sender, recipients, size and the downstream's queue id (from its
 * "queued as …" reply), so that a message can be followed from the client into the mail server.
 */
final class DeliveryLog {

    private static final Logger LOG = Logger.getLogger("net.trustbl.gateway.delivery");
    private static final Pattern QUEUED_AS = Pattern.compile("(?i)queued as ([^\\s;,]+)");

    private DeliveryLog() {
    }

    static void delivered(Transaction tx, long size, Reply downstream) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LOG.infof("delivered id=%s client=%s[%s] helo=%s from=<%s> to=%s size=%d queue-id=%s",
                tx.id, tx.clientName == null ? "unknown" : tx.clientName, tx.clientAddress, tx.helo,
                tx.mailFrom, recipients(tx.recipients), size, queueId(downstream));
    }

    /** "[<a>, <b>]": built directly, as this runs for every message on the event loop. */
    static String recipients(java.util.List<String> recipients) {
        StringBuilder sb = new StringBuilder(16 + 24 * recipients.size()).append('[');
        for (int i = 0; i < recipients.size(); i++) {
            sb.append(i == 0 ? "<" : ", <").append(recipients.get(i)).append('>');
        }
        return sb.append(']').toString();
    }

    /** The downstream's queue id from its reply, or its reply text when it names none. */
    static String queueId(Reply reply) {
        for (String line : reply.lines()) {
            if (!mentionsQueuedAs(line)) {
                continue; // most replies name no queue id: no regex run for them
            }
            Matcher m = QUEUED_AS.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "\"" + reply.firstLine() + "\"";
    }

    private static boolean mentionsQueuedAs(String line) {
        for (int i = 0; i + 9 <= line.length(); i++) {
            if (line.regionMatches(true, i, "queued as", 0, 9)) {
                return true;
            }
        }
        return false;
    }
}
