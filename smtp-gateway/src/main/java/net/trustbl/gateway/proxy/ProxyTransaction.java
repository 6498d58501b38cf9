package net.trustbl.gateway.proxy;

import io.vertx.core.Future;
import net.trustbl.gateway.protocol.EsmtpParameters;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.transaction.Transaction;
import net.trustbl.gateway.transaction.TransactionHandler;
import org.jboss.logging.Logger;

/**
 * One transaction relayed in step to the downstream (before-queue proxy). The downstream is not
 * touched until a first recipient has passed every local filter (as Postfix's smtpd_proxy_filter):
 * then MAIL is passed on, and from there each RCPT, so the downstream's own verdict reaches the
 * client; DATA is sent only after every end-of-data filter accepted, so a refused message never
 * reaches it. Clients refused by the filters never cost a downstream session.
 */
public final class ProxyTransaction implements TransactionHandler {

    private static final Logger LOG = Logger.getLogger(ProxyTransaction.class);

    private final DownstreamLink link;
    private final String client;
    private final ClientIdentity identity;
    private String sender;
    private EsmtpParameters.Mail mailParams;
    private boolean mailRelayed;

    public ProxyTransaction(DownstreamLink link, ClientIdentity identity) {
        this.link = link;
        this.identity = identity;
        this.client = identity.address().getHostAddress();
    }

    /** Taken here; MAIL goes downstream with the first recipient that passed the filters. */
    @Override
    public Future<Reply> mail(String address, EsmtpParameters.Mail params) {
        sender = address;
        mailParams = params;
        return Future.succeededFuture(Reply.of(250, "2.1.0", "Ok"));
    }

    /** MAIL to the downstream; a refusal (or no downstream) is the answer to the RCPT that needed it. */
    private Future<Reply> relayMail(DownstreamConnection ds) {
        return ds.command(mailCommand(ds, sender, mailParams), link.timeout())
                .map(reply -> {
                    mailRelayed = reply.positive();
                    return reply;
                })
                .recover(e -> unavailable());
    }

    private Future<Reply> unavailable() {
        link.drop();
        return Future.succeededFuture(Reply.of(451, "4.4.1", "Mail server behind the gateway is unavailable, try again later"));
    }

    private static String mailCommand(DownstreamConnection ds, String address, EsmtpParameters.Mail params) {
        StringBuilder line = new StringBuilder("MAIL FROM:<").append(address).append('>');
        if (ds.sizeOffered() && params.size() >= 0) {
            line.append(" SIZE=").append(params.size());
        }
        if (ds.eightBitOffered() && params.body() != null) {
            line.append(" BODY=").append(params.body());
        }
        if (ds.dsnOffered()) {
            line.append(params.dsn());
        }
        return line.toString();
    }

    @Override
    public Future<Reply> rcpt(String address, EsmtpParameters.Rcpt params) {
        if (!mailRelayed) {
            return link.ensureFor(identity).transform(opened -> {
                DownstreamConnection ds = opened.succeeded() ? opened.result() : null;
                if (ds != null && ds.pipeliningOffered()) {
                    // MAIL and the first RCPT in one write (RFC 2920); the RCPT counts only if the MAIL did
                    Future<Reply> mail = relayMail(ds);
                    Future<Reply> rcpt = relayRcpt(ds, address, params);
                    return mail.compose(m -> m.positive() ? rcpt : Future.succeededFuture(m));
                }
                return (ds == null ? unavailable() : relayMail(ds))
                        .compose(mail -> mail.positive() ? rcpt(address, params) : Future.succeededFuture(mail));
            });
        }
        DownstreamConnection ds = link.usable();
        if (ds == null) {
            // the downstream session that took our MAIL is gone: a fresh one would see RCPT
            // without MAIL and its 503 is not a verdict on this recipient. Temporary failure.
            return Future.succeededFuture(link.lost(client));
        }
        return relayRcpt(ds, address, params);
    }

    private Future<Reply> relayRcpt(DownstreamConnection ds, String address, EsmtpParameters.Rcpt params) {
        return ds.command("RCPT TO:<" + address + ">" + (ds.dsnOffered() ? params.dsn() : ""), link.timeout())
                .recover(e -> {
                    link.drop();
                    return Future.succeededFuture(Reply.of(451, "4.4.2",
                            "Connection to the mail server behind the gateway was lost, try again later"));
                });
    }

    @Override
    public Reply beforeData() {
        // refused before the client sends the message: it could only end in 451 4.4.2. Without a
        // relayed MAIL (every recipient was taken locally, a spam trap) nothing downstream is lost.
        return mailRelayed && link.usable() == null ? link.lost(client) : null;
    }

    /** DATA to the downstream only now, after all filters accepted. */
    @Override
    public Future<Reply> deliver(Transaction tx) {
        DownstreamConnection ds = link.usable();
        if (ds == null || !mailRelayed) {
            return Future.failedFuture("no downstream session");
        }
        return ds.command("DATA", link.timeout()).compose(r -> {
            if (r.code() != 354 && r.code() < 400) {
                // success (or anything but 354) before the message was sent is no verdict on it: passed
                // on, the client would take a message nobody has for delivered. The state is unknown: drop it.
                LOG.warnf("downstream answered DATA with %s for %s: connection dropped", r.firstLine(), client);
                link.drop();
                return Future.succeededFuture(Reply.of(451, "4.4.2",
                        "Mail server behind the gateway answered out of turn, try again later"));
            }
            if (r.code() != 354) {
                return Future.succeededFuture(r);
            }
            return ds.sendMessage(tx.message, tx.addedHeaders, tx.subjectPrefix, link.dataTimeout());
        }).onFailure(e -> {
            LOG.warnf("downstream failed during delivery for %s: %s", client, e.getMessage());
            link.drop();
        });
    }

    /** Ends the transaction downstream too (RSET, without waiting). */
    @Override
    public void abort() {
        DownstreamConnection ds = link.usable();
        if (mailRelayed && ds != null) {
            ds.command("RSET", link.timeout()).onFailure(e -> link.drop());
        }
    }
}
