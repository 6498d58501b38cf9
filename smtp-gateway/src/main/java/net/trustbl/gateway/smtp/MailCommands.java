package net.trustbl.gateway.smtp;

import io.vertx.core.buffer.Buffer;
import net.trustbl.gateway.filter.Stage;
import net.trustbl.gateway.filter.Transaction;
import net.trustbl.gateway.intake.IntakeTransaction;
import net.trustbl.gateway.proxy.DownstreamLink;
import net.trustbl.gateway.proxy.ProxyTransaction;

/**
 * The mail transaction commands of a session (MAIL, RCPT, DATA and the message, RSET): the envelope
 * checks, the filter stages and the hand-over to the transaction's {@link TransactionHandler}.
 */
final class MailCommands {

    private final SmtpSession session;
    private final SmtpServer server;
    private final Transaction tx;
    /** The downstream connection kept across this session's transactions (proxy mode only). */
    private final DownstreamLink link;
    /** The open mail transaction's handler; null outside a transaction. */
    private TransactionHandler handler;
    private MessageReader reader;

    MailCommands(SmtpSession session, SmtpServer server, Transaction tx) {
        this.session = session;
        this.server = server;
        this.tx = tx;
        this.link = server.intakeMode() ? null
                : new DownstreamLink(server::openDownstream, server.downstreamTimeout(), server.downstreamDataTimeout());
    }

    /** One line of message data; the end-of-data line runs the last stage. */
    void dataLine(LineSplitter.Line line) {
        if (reader.line(line)) {
            endOfData();
        }
    }

    /** The client left: the downstream connection, if any, is told QUIT. */
    void sessionClosed() {
        if (link != null) {
            link.sessionClosed();
        }
    }

    void mail(String cmd) {
        if (!session.heloSeen()) {
            session.error(Reply.of(503, "5.5.1", "Send HELO/EHLO first"));
            return;
        }
        if (handler != null) {
            session.error(Reply.of(503, "5.5.1", "Nested MAIL command"));
            return;
        }
        Envelope.Path path = Envelope.mailFrom(cmd);
        if (path == null) {
            session.error(Reply.of(501, "5.5.2", "Syntax: MAIL FROM:<address>"));
            return;
        }
        EsmtpParameters.Mail params = EsmtpParameters.mail(path.params(), session.dsn());
        if (params.error() != null) {
            session.error(params.error());
            return;
        }
        tx.resetEnvelope();
        tx.mailFrom = path.address();
        tx.declaredSize = params.size();
        session.hold();
        server.chain.run(Stage.MAIL, tx).onComplete(ar -> {
            if (session.stopped(ar.succeeded() ? ar.result() : null)) {
                tx.resetEnvelope();
                return;
            }
            TransactionHandler h = newHandler();
            h.mail(path.address(), params).onComplete(r -> {
                Reply reply = r.result();
                if (reply.positive()) {
                    handler = h;
                } else {
                    tx.resetEnvelope();
                }
                session.finish(reply);
            });
        });
    }

    private TransactionHandler newHandler() {
        return link == null ? new IntakeTransaction(server.intake, server.config.intake().domain())
                : new ProxyTransaction(link, tx.clientAddress);
    }

    void rcpt(String cmd) {
        TransactionHandler h = handler;
        if (h == null) {
            session.error(Reply.of(503, "5.5.1", "Need MAIL command"));
            return;
        }
        Envelope.Path path = Envelope.rcptTo(cmd);
        if (path == null) {
            session.error(Reply.of(501, "5.5.2", "Syntax: RCPT TO:<address>"));
            return;
        }
        EsmtpParameters.Rcpt params = EsmtpParameters.rcpt(path.params(), session.dsn());
        if (params.error() != null) {
            session.error(params.error());
            return;
        }
        tx.rcpt = path.address();
        tx.rcptCommands++;
        tx.rcptPolicy = server.policyOf(tx.rcpt);
        session.hold();
        server.chain.run(Stage.RCPT, tx).onComplete(ar -> {
            if (session.stopped(ar.succeeded() ? ar.result() : null)) {
                return;
            }
            h.rcpt(path.address(), params).onComplete(r -> {
                Reply reply = r.result();
                if (reply.positive()) {
                    tx.recipients.add(path.address());
                    if (tx.policy == null) {
                        tx.policy = tx.rcptPolicy;
                    }
                }
                session.finish(reply);
            });
        });
    }

    void data(String arg) {
        if (handler == null) {
            session.error(Reply.of(503, "5.5.1", "Need MAIL command"));
            return;
        }
        Reply refusal = handler.beforeData();
        if (refusal != null) {
            abortTransaction();
            session.reply(refusal);
            return;
        }
        if (tx.recipients.isEmpty()) {
            session.error(Reply.of(554, "5.5.1", "No valid recipients"));
            return;
        }
        if (!arg.isEmpty()) {
            session.error(Reply.of(501, "5.5.4", "Syntax: DATA"));
            return;
        }
        session.enterData();
        reader = new MessageReader(server.config.limits().maxMessageSize(), server.normalizeSmuggling(), server.stats);
        session.reply(Reply.of(354, null, "End data with <CR><LF>.<CR><LF>"));
    }

    void rset() {
        abortTransaction();
        session.reply(Reply.of(250, "2.0.0", "Ok"));
    }

    void endOfData() {
        session.leaveData();
        session.hold();
        Reply refused = reader.error();
        Buffer message = reader.message();
        reader = null;
        if (refused != null) {
            server.stats.rejection(tx.clientAddress, "smtp", refused.firstLine());
            abortTransaction();
            session.finish(refused);
            return;
        }
        tx.message = message;
        TransactionHandler h = handler;
        server.chain.run(Stage.END_OF_DATA, tx).onComplete(ar -> {
            if (session.stopped(ar.succeeded() ? ar.result() : null)) {
                abortTransaction();
                return;
            }
            h.deliver(tx).onComplete(r -> {
                Reply reply = r.succeeded() ? r.result()
                        : Reply.of(451, "4.4.2", "Delivery not confirmed by the mail server behind the gateway, try again later");
                if (reply.positive()) {
                    server.stats.messageDelivered();
                }
                tx.resetEnvelope();
                handler = null;
                session.finish(reply);
            });
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Ends the current transaction on both sides (RSET downstream, without waiting). */
    void abortTransaction() {
        if (handler != null) {
            handler.abort();
            handler = null;
        }
        tx.resetEnvelope();
    }
}
