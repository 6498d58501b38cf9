package net.trustbl.gateway.smtp;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import net.trustbl.gateway.protocol.Envelope;
import net.trustbl.gateway.protocol.EsmtpParameters;
import net.trustbl.gateway.protocol.LineSplitter;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.transaction.TransactionHandler;

import java.io.IOException;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import net.trustbl.gateway.filter.Stage;
import net.trustbl.gateway.filter.Verdict;
import net.trustbl.gateway.intake.IntakeTransaction;
import net.trustbl.gateway.proxy.ClientIdentity;
import net.trustbl.gateway.proxy.DownstreamLink;
import net.trustbl.gateway.proxy.ProxyTransaction;
import net.trustbl.gateway.transaction.Transaction;
import org.jboss.logging.Logger;

/**
 * The mail transaction commands of a session (MAIL, RCPT, DATA and the message, RSET): the envelope
 * checks, the filter stages and the hand-over to the transaction's {@link TransactionHandler}.
 */
final class MailCommands {

    private static final Logger LOG = Logger.getLogger(MailCommands.class);

    private final SmtpSession session;
    private final SmtpServer server;
    private final Transaction tx;
    /** The session's error limits: a transaction that ends without a recipient counts there. */
    private final ErrorLimits errors;
    /**
     * MAIL commands of this session whose transaction did not end in a delivered message
     * (gateway.limits.max-mail-commands): an MTA that reuses its connection for thousands of
     * messages (Postfix's connection cache, smtp-source -d) is never cut off, a MAIL/RCPT/RSET loop is.
     */
    private int mailCommands;
    /** The downstream connection kept across this session's transactions (proxy mode only). */
    private final DownstreamLink link;
    /** The open mail transaction's handler; null outside a transaction. */
    private TransactionHandler handler;
    private MessageReader reader;

    MailCommands(SmtpSession session, SmtpServer server, Transaction tx, ErrorLimits errors) {
        this.session = session;
        this.server = server;
        this.tx = tx;
        this.errors = errors;
        this.link = server.intakeMode() ? null
                : new DownstreamLink(server::openDownstream, server.downstreamCache(), server.downstreamTimeout(), server.downstreamDataTimeout(),
                        server.config.xforward(), server.config.xclient());
    }

    /** A transaction id as Postfix queue ids look: time-ordered, unique enough for logs and traces. */
    static String newId() {
        long rnd = ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36);
        return (Long.toString(System.currentTimeMillis(), 36) + Long.toString(36L * 36 * 36 * 36 + rnd, 36).substring(1))
                .toUpperCase(Locale.ROOT);
    }

    /** One line of message data; the end-of-data line runs the last stage. */
    void dataLine(LineSplitter.Line line) {
        if (reader.line(line)) {
            endOfData();
        }
    }

    /** The client is idle outside a transaction: it must not hold a downstream session meanwhile. */
    void releaseIdleDownstream() {
        if (handler == null && link != null) {
            link.release();
        }
    }

    /** The client left: the downstream connection, if any, is told QUIT. */
    void sessionClosed() {
        if (reader != null) {
            reader.release();
            reader = null;
        }
        if (link != null) {
            link.sessionClosed();
        }
    }

    void mail(String cmd) {
        int max = server.config.limits().maxMailCommands();
        if (max > 0 && ++mailCommands > max) {
            // every MAIL runs the MAIL-stage filters and their DNS questions: a session gets so
            // many that do not end in a delivered message
            session.closeWith(session.own(Reply.of(421, "4.7.0", "Too many MAIL commands in this session")));
            return;
        }
        if (!session.heloSeen()) {
            session.reply(Reply.of(503, "5.5.1", "Send HELO/EHLO first"));
            return;
        }
        if (handler != null) {
            session.reply(Reply.of(503, "5.5.1", "Nested MAIL command"));
            return;
        }
        Envelope.Path path = Envelope.mailFrom(cmd);
        if (path == null) {
            session.reply(Reply.of(501, "5.5.2", "Syntax: MAIL FROM:<address>"));
            return;
        }
        EsmtpParameters.Mail params = EsmtpParameters.mail(path.params(), session.dsn());
        if (params.error() != null) {
            session.reply(params.error());
            return;
        }
        tx.resetEnvelope();
        tx.mailFrom = path.address();
        tx.id = newId();
        tx.declaredSize = params.size();
        session.hold();
        session.chain.run(Stage.MAIL, tx).onComplete(ar -> {
            if (session.stopped(ar.succeeded() ? ar.result() : null)) {
                tx.resetEnvelope();
                return;
            }
            // the client's verified name (looked up at connect) goes into XFORWARD/XCLIENT and Received
            session.clientName().compose(name -> {
                TransactionHandler h = newHandler();
                return h.mail(path.address(), params).map(reply -> {
                    if (reply.positive()) {
                        handler = h;
                    }
                    return reply;
                });
            }).onComplete(r -> {
                Reply reply = r.result();
                if (!reply.positive()) {
                    tx.resetEnvelope();
                }
                session.finish(reply);
            });
        });
    }

    private TransactionHandler newHandler() {
        return link == null ? new IntakeTransaction(server.intake, server.config.intake().domain())
                : new ProxyTransaction(link, new ClientIdentity(tx.clientName, tx.clientIp, ReceivedHeader.protocol(tx), tx.helo));
    }

    void rcpt(String cmd) {
        TransactionHandler h = handler;
        if (h == null) {
            session.reply(Reply.of(503, "5.5.1", "Need MAIL command"));
            return;
        }
        Envelope.Path path = Envelope.rcptTo(cmd);
        if (path == null) {
            session.reply(Reply.of(501, "5.5.2", "Syntax: RCPT TO:<address>"));
            return;
        }
        EsmtpParameters.Rcpt params = EsmtpParameters.rcpt(path.params(), session.dsn());
        if (params.error() != null) {
            session.reply(params.error());
            return;
        }
        tx.rcpt = path.address();
        tx.rcptPolicy = session.chain.policyOf(tx.rcpt);
        session.hold();
        session.chain.run(Stage.RCPT, tx).onComplete(ar -> {
            Verdict v = ar.succeeded() ? ar.result() : null;
            if (session.stopped(v)) {
                return;
            }
            // a recipient a filter answered itself (a spam trap) is never passed on
            Future<Reply> answer = v.kind() == Verdict.Kind.ACCEPT && v.code() > 0
                    ? Future.succeededFuture(Reply.of(v.code(), v.status(), v.text()))
                    : h.rcpt(path.address(), params);
            answer.onComplete(r -> {
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
            session.reply(Reply.of(503, "5.5.1", "Need MAIL command"));
            return;
        }
        Reply refusal = handler.beforeData();
        if (refusal != null) {
            abortTransaction();
            session.reply(refusal);
            return;
        }
        if (tx.recipients.isEmpty()) {
            session.reply(Reply.of(554, "5.5.1", "No valid recipients"));
            return;
        }
        if (!arg.isEmpty()) {
            session.reply(Reply.of(501, "5.5.4", "Syntax: DATA"));
            return;
        }
        // a relay allow-listed by IP (backup MX, upstream filter) brings everyone's mail: no share
        String budgetClient = tx.allowListedIp ? null : session.sessionKey;
        if (!roomFor(tx.declaredSize, budgetClient)) {
            // the gateway holds as many message bytes as it may: refused before the client sends any
            abortTransaction();
            session.reply(Reply.of(452, "4.3.1", "Insufficient system storage, try again later"));
            return;
        }
        session.enterData();
        reader = new MessageReader(server.config.limits().maxMessageSize(), server.normalizeSmuggling(), server.stats,
                new MessageBuffer(server.spool, server.budget, budgetClient));
        session.reply(Reply.of(354, null, "End data with <CR><LF>.<CR><LF>"));
    }

    /**
     * A cheap early check (no reservation) that the message can be held: in memory up to the spool
     * threshold, the rest on disk. Without SIZE= a small message is assumed.
     */
    private boolean roomFor(long declaredSize, String client) {
        long expected = declaredSize > 0 ? declaredSize : MessageBuffer.CHUNK;
        long inMemory = Math.min(expected, server.spool.threshold());
        return server.budget.hasRoom(client, MessageBuffer.HEAP_FACTOR * inMemory)
                && server.spool.disk().hasRoom(client, expected - inMemory);
    }

    void rset() {
        abortTransaction();
        session.reply(Reply.of(250, "2.0.0", "Ok"));
    }

    void endOfData() {
        session.leaveData();
        session.hold();
        MessageReader done = reader;
        reader = null;
        Reply refused = done.error();
        if (refused == null) {
            try {
                tx.message = done.message();
            } catch (IOException e) {
                LOG.warnf("cannot read back the spooled message of %s: %s", tx.clientAddress, e.getMessage());
                refused = Reply.of(451, "4.3.0", "Temporary local problem, try again later");
            }
        }
        if (refused != null) {
            done.release();
            server.stats.rejection(tx.sessionId, tx.clientAddress, tx.mailFrom, String.join(",", tx.recipients), "smtp",
                    refused.firstLine());
            abortTransaction();
            session.finish(session.own(refused));
            return;
        }
        TransactionHandler h = handler;
        session.chain.run(Stage.END_OF_DATA, tx).onComplete(ar -> {
            Verdict v = ar.succeeded() ? ar.result() : null;
            if (v == null || v.kind() == Verdict.Kind.REJECT || v.kind() == Verdict.Kind.TEMPFAIL
                    || v.kind() == Verdict.Kind.DISCONNECT) {
                done.release(); // before the refusal goes out: a refused message leaves no spool file behind
            }
            if (session.stopped(v)) {
                done.release();
                abortTransaction();
                return;
            }
            tx.addedHeaders.add(0, ReceivedHeader.build(tx, server.config.hostname(), ZonedDateTime.now()));
            h.deliver(tx).onComplete(r -> {
                done.release();
                Reply reply = r.succeeded() ? r.result()
                        : session.own(Reply.of(451, "4.4.2",
                                "Delivery not confirmed by the mail server behind the gateway, try again later"));
                if (reply.positive()) {
                    server.stats.messageDelivered();
                    DeliveryLog.delivered(tx, done.size(), reply);
                    session.delivered();
                    mailCommands--; // a delivered message's MAIL does not count toward the cap
                }
                tx.resetEnvelope();
                handler = null;
                session.finish(reply);
            });
        });
    }

    /** Bytes of the message being read, 0 outside DATA (for the minimum data rate). */
    long dataBytes() {
        return reader == null ? 0 : reader.size();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Ends the current transaction on both sides (RSET downstream, without waiting); one that had
     * no recipient accepted is an error of the session (see {@link ErrorLimits}).
     */
    void abortTransaction() {
        if (handler != null) {
            if (tx.recipients.isEmpty()) {
                errors.emptyTransaction();
            }
            handler.abort();
            handler = null;
        }
        tx.resetEnvelope();
    }
}
