package net.trustbl.gateway.intake;

import io.vertx.core.Future;
import net.trustbl.gateway.protocol.EsmtpParameters;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.transaction.Transaction;
import net.trustbl.gateway.transaction.TransactionHandler;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One report sent to the intake domain: the recipient is one member's report mailbox (checked
 * with the trust-service), and the message is handed to the service, which answers for it.
 */
public final class IntakeTransaction implements TransactionHandler {

    private final IntakeClient intake;
    private final String domain;
    private String alias;

    public IntakeTransaction(IntakeClient intake, String domain) {
        this.intake = intake;
        this.domain = domain.toLowerCase(Locale.ROOT);
    }

    @Override
    public Future<Reply> mail(String address, EsmtpParameters.Mail params) {
        return Future.succeededFuture(Reply.of(250, "2.1.0", "Ok"));
    }

    @Override
    public Future<Reply> rcpt(String address, EsmtpParameters.Rcpt params) {
        int at = address.lastIndexOf('@');
        String rcptDomain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        String rcptAlias = address.substring(0, at);
        if (!rcptDomain.equals(domain)) {
            return Future.succeededFuture(Reply.of(550, "5.1.1", "Recipient not handled here"));
        }
        if (alias != null && !alias.equalsIgnoreCase(rcptAlias)) {
            return Future.succeededFuture(Reply.of(452, "4.5.3", "One report mailbox per message, send the rest separately"));
        }
        return intake.validate(rcptAlias).map(reply -> {
            if (reply.positive()) {
                alias = rcptAlias;
            }
            return reply;
        });
    }

    @Override
    public Reply beforeData() {
        return null;
    }

    @Override
    public Future<Reply> deliver(Transaction tx) {
        StringBuilder added = new StringBuilder();
        for (String h : tx.addedHeaders) {
            added.append(h).append("\r\n");
        }
        return intake.submit(alias, added.toString().getBytes(StandardCharsets.UTF_8), tx.message);
    }

    @Override
    public void abort() {
        // nothing is held for a report until it is submitted
    }
}
