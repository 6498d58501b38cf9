package net.trustbl.gateway.smtp;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import net.trustbl.gateway.filter.Stage;
import net.trustbl.gateway.filter.Transaction;
import net.trustbl.gateway.filter.Verdict;
import net.trustbl.gateway.proxy.DownstreamConnection;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One client connection: the SMTP server state machine, the filter chain calls and the
 * before-queue proxy to the downstream. Runs entirely on one event loop; a command whose answer
 * needs slow work (filters, downstream) sets {@code busy} and the next pipelined line waits.
 *
 * <p>Delivery model: the client gets 250 for its message only when the downstream answered 250 to
 * the same message; every other outcome is a 4xx/5xx to the client. Nothing is queued here.
 */
public final class SmtpSession {

    private static final Logger LOG = Logger.getLogger(SmtpSession.class);
    /** Queued pipelined lines beyond which reading pauses (bounded memory per session). */
    private static final int MAX_QUEUED_LINES = 200;
    /** Octets of a text line without its CRLF (RFC 5321 4.5.3.1.6: 1000 with it). */
    static final int MAX_TEXT_LINE = 998;
    /** Octets of a command line without its CRLF (RFC 5321 4.5.3.1.4: 512 with it). */
    static final int MAX_COMMAND_LINE = 510;

    enum State { GREETING, COMMAND, DATA, CLOSED }

    /** RFC 3461 parameter syntax (xtext, NOTIFY list, ORCPT addr-type;xtext). */
    private static final java.util.regex.Pattern XTEXT = java.util.regex.Pattern.compile("([\\x21-\\x2a\\x2c-\\x3c\\x3e-\\x7e]|\\+[0-9A-F]{2})+");
    private static final java.util.regex.Pattern NOTIFY = java.util.regex.Pattern.compile("(?i)NEVER|(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY)){0,2}");
    private static final java.util.regex.Pattern ORCPT = java.util.regex.Pattern.compile("(?i)[a-z0-9-]{1,20};([\\x21-\\x2a\\x2c-\\x3c\\x3e-\\x7e]|\\+[0-9A-F]{2})+");

    private final SmtpServer server;
    private final NetSocket socket;
    final Transaction tx;
    private final LineSplitter splitter;
    private final ArrayDeque<LineSplitter.Line> queue = new ArrayDeque<>();

    private State state = State.GREETING;
    private boolean busy;
    private boolean paused;
    private boolean pipeliningOffered;
    private boolean tlsActive;
    private boolean heloSeen;
    private boolean mailAccepted;
    private int errors;
    long lastActivity = System.nanoTime();
    String sessionKey;
    java.util.Set<SmtpSession> localSet;

    private DownstreamConnection downstream;
    private Buffer message;
    private long dataSize;
    private Reply dataError;
    private String intakeAlias;

    SmtpSession(SmtpServer server, NetSocket socket, InetAddress client) {
        this.server = server;
        this.socket = socket;
        this.tx = new Transaction(client);
        // RFC 5321 4.5.3.1.6: a text line is at most 1000 octets including the CRLF, so 998 before it;
        // command lines (4.5.3.1.4: 512 including CRLF) are checked against 510 in command()
        this.splitter = new LineSplitter(MAX_TEXT_LINE, this::onLine);
    }

    void start() {
        socket.handler(this::onData);
        socket.exceptionHandler(e -> socket.close());
        socket.closeHandler(v -> onClosed());
        busy = true;
        long pause = server.config.sanity().greetPause().toMillis();
        if (pause > 0) {
            server.vertx.setTimer(pause, t -> connectStage());
        } else {
            connectStage();
        }
    }

    private void connectStage() {
        if (state == State.CLOSED) {
            return;
        }
        server.chain.run(Stage.CONNECT, tx).onComplete(ar -> {
            if (state == State.CLOSED) {
                return;
            }
            Verdict v = ar.succeeded() ? ar.result() : Verdict.tempfail(421, "4.3.0", "Temporary local problem");
            if (v.kind() == Verdict.Kind.REJECT || v.kind() == Verdict.Kind.DISCONNECT) {
                // the filter's own code (550 5.7.1 for a DNSBL listing, 554 for deny lists and protocol errors)
                int code = v.code() >= 500 && v.code() < 600 ? v.code() : 554;
                closeWith(Reply.of(code, v.status(), v.text()));
                return;
            }
            if (v.kind() == Verdict.Kind.TEMPFAIL) {
                closeWith(Reply.of(421, v.status(), v.text()));
                return;
            }
            state = State.COMMAND;
            finish(new Reply(220, List.of(server.config.hostname() + " ESMTP TrustBL gateway")));
        });
    }

    // ---------------------------------------------------------------- input

    private void onData(Buffer data) {
        lastActivity = System.nanoTime();
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.GREETING) {
            tx.pregreet = true;
        }
        splitter.feed(data);
        drain();
    }

    private void onLine(LineSplitter.Line line) {
        if (state != State.DATA && !pipeliningOffered && (busy || !queue.isEmpty())) {
            tx.unauthorizedPipelining = true;
        }
        queue.addLast(line);
        if (queue.size() > MAX_QUEUED_LINES && !paused) {
            paused = true;
            socket.pause();
        }
    }

    private void drain() {
        LineSplitter.Line line;
        while (!busy && state != State.CLOSED && (line = queue.pollFirst()) != null) {
            if (state == State.DATA) {
                dataLine(line);
            } else {
                command(line);
            }
        }
        if (paused && queue.isEmpty() && state != State.CLOSED) {
            paused = false;
            socket.resume();
        }
    }

    // ---------------------------------------------------------------- commands

    private void command(LineSplitter.Line line) {
        if (line.overlong() || line.length() > MAX_COMMAND_LINE) {
            error(Reply.of(500, "5.5.2", "Line too long"));
            return;
        }
        String cmd = new String(line.bytes(), StandardCharsets.ISO_8859_1);
        for (int i = 0; i < cmd.length(); i++) {
            char c = cmd.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                error(Reply.of(500, "5.5.2", "Bare CR, LF or NUL in command"));
                return;
            }
        }
        int sp = cmd.indexOf(' ');
        String verb = (sp < 0 ? cmd : cmd.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : cmd.substring(sp + 1).trim();
        switch (verb) {
            case "EHLO", "HELO" -> helo(verb.equals("EHLO"), arg);
            case "STARTTLS" -> startTls(arg);
            case "MAIL" -> mail(cmd);
            case "RCPT" -> rcpt(cmd);
            case "DATA" -> data(arg);
            case "RSET" -> rset();
            case "NOOP" -> reply(Reply.of(250, "2.0.0", "Ok"));
            case "QUIT" -> closeWith(Reply.of(221, "2.0.0", "Bye"));
            case "VRFY" -> reply(Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message"));
            case "HELP" -> reply(Reply.of(214, "2.0.0", "See RFC 5321"));
            case "EXPN", "AUTH", "BDAT", "ETRN", "TURN" -> error(Reply.of(502, "5.5.1", "Command not implemented"));
            default -> error(Reply.of(500, "5.5.1", "Command unrecognized"));
        }
    }

    private void helo(boolean extended, String arg) {
        if (arg.isEmpty() || arg.indexOf(' ') >= 0) {
            error(Reply.of(501, "5.5.4", "Syntax: " + (extended ? "EHLO" : "HELO") + " hostname"));
            return;
        }
        abortTransaction();
        tx.helo = arg;
        tx.esmtp = extended;
        busy = true;
        server.chain.run(Stage.HELO, tx).onComplete(ar -> {
            if (stopped(ar.succeeded() ? ar.result() : null)) {
                return;
            }
            heloSeen = true;
            if (!extended) {
                pipeliningOffered = false;
                finish(Reply.of(250, null, server.config.hostname()));
                return;
            }
            pipeliningOffered = true;
            List<String> lines = new ArrayList<>();
            lines.add(server.config.hostname());
            lines.add("PIPELINING");
            lines.add("SIZE " + server.config.limits().maxMessageSize());
            lines.add("8BITMIME");
            lines.add("ENHANCEDSTATUSCODES");
            if (dsn()) {
                lines.add("DSN");
            }
            if (server.tlsAvailable() && !tlsActive) {
                lines.add("STARTTLS");
            }
            finish(new Reply(250, lines));
        });
    }

    private void startTls(String arg) {
        if (!server.tlsAvailable() || tlsActive) {
            error(Reply.of(454, "4.7.0", "TLS not available"));
            return;
        }
        if (!arg.isEmpty()) {
            error(Reply.of(501, "5.5.4", "Syntax: STARTTLS"));
            return;
        }
        // CVE-2011-0411: whatever the client sent after STARTTLS in plaintext is thrown away
        queue.clear();
        splitter.reset();
        busy = true;
        socket.write(Buffer.buffer(Reply.of(220, "2.0.0", "Ready to start TLS").wire()));
        socket.upgradeToSsl().onComplete(ar -> {
            if (ar.failed()) {
                LOG.debugf("TLS handshake with %s failed: %s", tx.clientAddress, ar.cause().getMessage());
                socket.close();
                return;
            }
            // RFC 3207: forget everything learned before TLS
            tlsActive = true;
            tx.tls = true;
            heloSeen = false;
            pipeliningOffered = false;
            abortTransaction();
            tx.helo = null;
            tx.allowListedHelo = false;
            busy = false;
            drain();
        });
    }

    private void mail(String cmd) {
        if (!heloSeen) {
            error(Reply.of(503, "5.5.1", "Send HELO/EHLO first"));
            return;
        }
        if (mailAccepted) {
            error(Reply.of(503, "5.5.1", "Nested MAIL command"));
            return;
        }
        Envelope.Path path = Envelope.mailFrom(cmd);
        if (path == null) {
            error(Reply.of(501, "5.5.2", "Syntax: MAIL FROM:<address>"));
            return;
        }
        long size = -1;
        StringBuilder dsnParams = new StringBuilder();
        for (var p : path.params().entrySet()) {
            switch (p.getKey()) {
                case "SIZE" -> {
                    if (!p.getValue().matches("\\d{1,18}")) {
                        error(Reply.of(501, "5.5.4", "Bad SIZE parameter"));
                        return;
                    }
                    size = Long.parseLong(p.getValue());
                }
                case "BODY" -> {
                    String v = p.getValue().toUpperCase(Locale.ROOT);
                    if (!v.equals("7BIT") && !v.equals("8BITMIME")) {
                        error(Reply.of(501, "5.5.4", "Bad BODY parameter"));
                        return;
                    }
                }
                case "RET" -> {
                    if (!dsn() || !p.getValue().matches("(?i)FULL|HDRS")) {
                        error(Reply.of(501, "5.5.4", "Bad RET parameter"));
                        return;
                    }
                    dsnParams.append(" RET=").append(p.getValue().toUpperCase(Locale.ROOT));
                }
                case "ENVID" -> {
                    if (!dsn() || !XTEXT.matcher(p.getValue()).matches() || p.getValue().length() > 100) {
                        error(Reply.of(501, "5.5.4", "Bad ENVID parameter"));
                        return;
                    }
                    dsnParams.append(" ENVID=").append(p.getValue());
                }
                default -> {
                    error(Reply.of(555, "5.5.4", "Unsupported parameter " + p.getKey()));
                    return;
                }
            }
        }
        tx.resetEnvelope();
        tx.mailFrom = path.address();
        tx.declaredSize = size;
        busy = true;
        server.chain.run(Stage.MAIL, tx).onComplete(ar -> {
            if (stopped(ar.succeeded() ? ar.result() : null)) {
                tx.resetEnvelope();
                return;
            }
            if (server.intakeMode()) {
                mailAccepted = true;
                finish(Reply.of(250, "2.1.0", "Ok"));
                return;
            }
            ensureDownstream().compose(ds -> {
                StringBuilder line = new StringBuilder("MAIL FROM:<").append(path.address()).append('>');
                if (ds.sizeOffered() && tx.declaredSize >= 0) {
                    line.append(" SIZE=").append(tx.declaredSize);
                }
                if (ds.eightBitOffered() && path.params().containsKey("BODY")) {
                    line.append(" BODY=").append(path.params().get("BODY").toUpperCase(Locale.ROOT));
                }
                if (ds.dsnOffered()) {
                    line.append(dsnParams);
                }
                return ds.command(line.toString(), server.downstreamTimeout());
            }).onComplete(r -> {
                if (r.failed()) {
                    dropDownstream();
                    tx.resetEnvelope();
                    finish(Reply.of(451, "4.4.1", "Mail server behind the gateway is unavailable, try again later"));
                    return;
                }
                mailAccepted = r.result().positive();
                if (!mailAccepted) {
                    tx.resetEnvelope();
                }
                finish(r.result());
            });
        });
    }

    private void rcpt(String cmd) {
        if (!mailAccepted) {
            error(Reply.of(503, "5.5.1", "Need MAIL command"));
            return;
        }
        Envelope.Path path = Envelope.rcptTo(cmd);
        if (path == null) {
            error(Reply.of(501, "5.5.2", "Syntax: RCPT TO:<address>"));
            return;
        }
        StringBuilder dsnParams = new StringBuilder();
        for (var p : path.params().entrySet()) {
            boolean ok = dsn() && switch (p.getKey()) {
                case "NOTIFY" -> NOTIFY.matcher(p.getValue()).matches();
                case "ORCPT" -> ORCPT.matcher(p.getValue()).matches() && p.getValue().length() <= 500;
                default -> false;
            };
            if (!ok) {
                error(Reply.of(555, "5.5.4", "Unsupported or bad RCPT parameter " + p.getKey()));
                return;
            }
            dsnParams.append(' ').append(p.getKey()).append('=').append(p.getValue());
        }
        tx.rcpt = path.address();
        tx.rcptCommands++;
        tx.rcptPolicy = server.policyOf(tx.rcpt);
        busy = true;
        server.chain.run(Stage.RCPT, tx).onComplete(ar -> {
            if (stopped(ar.succeeded() ? ar.result() : null)) {
                return;
            }
            Future<Reply> answer;
            if (server.intakeMode()) {
                answer = intakeRcpt(path.address());
            } else {
                DownstreamConnection ds = downstream;
                if (ds == null || !ds.usable()) {
                    // the downstream session that took our MAIL is gone: a fresh one would see RCPT
                    // without MAIL and its 503 is not a verdict on this recipient. Temporary failure.
                    answer = Future.succeededFuture(downstreamLost());
                } else {
                    answer = ds.command("RCPT TO:<" + path.address() + ">" + (ds.dsnOffered() ? dsnParams : ""),
                                    server.downstreamTimeout())
                            .recover(e -> {
                                dropDownstream();
                                return Future.succeededFuture(Reply.of(451, "4.4.2",
                                        "Connection to the mail server behind the gateway was lost, try again later"));
                            });
                }
            }
            answer.onComplete(r -> {
                Reply reply = r.result();
                if (reply.positive()) {
                    tx.recipients.add(path.address());
                    if (tx.policy == null) {
                        tx.policy = tx.rcptPolicy;
                    }
                }
                finish(reply);
            });
        });
    }

    /**
     * DSN is offered only when the operator enabled it and it can be honoured: either the operator
     * says the downstream does DSN ({@code gateway.dsn.advertise}) or the downstream's latest EHLO
     * offered it. Never promised for a downstream that would silently drop the DSN requests.
     */
    private boolean dsn() {
        return server.config.dsn().enabled() && !server.intakeMode()
                && (server.config.dsn().advertise() || server.downstreamOffersDsn());
    }

    /** The downstream connection of this transaction is gone: the whole transaction must be retried. */
    private Reply downstreamLost() {
        // the transaction stays open (no 503 for the client's next RCPT): every further RCPT and the
        // DATA get the same 451 until the client starts over with RSET or a new session
        LOG.debugf("downstream connection lost mid-transaction for %s", tx.clientAddress);
        dropDownstream();
        return Reply.of(451, "4.4.2", "Connection to the mail server behind the gateway was lost, try again later");
    }

    private Future<Reply> intakeRcpt(String address) {
        int at = address.lastIndexOf('@');
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        String alias = address.substring(0, at);
        if (!domain.equals(server.config.intake().domain().toLowerCase(Locale.ROOT))) {
            return Future.succeededFuture(Reply.of(550, "5.1.1", "Recipient not handled here"));
        }
        if (intakeAlias != null && !intakeAlias.equalsIgnoreCase(alias)) {
            return Future.succeededFuture(Reply.of(452, "4.5.3", "One report mailbox per message, send the rest separately"));
        }
        return server.intake.validate(alias).map(reply -> {
            if (reply.positive()) {
                intakeAlias = alias;
            }
            return reply;
        });
    }

    private void data(String arg) {
        if (!mailAccepted) {
            error(Reply.of(503, "5.5.1", "Need MAIL command"));
            return;
        }
        if (!server.intakeMode() && (downstream == null || !downstream.usable())) {
            // refused before the client sends the message: it could only end in 451 4.4.2
            Reply lost = downstreamLost();
            abortTransaction();
            reply(lost);
            return;
        }
        if (tx.recipients.isEmpty()) {
            error(Reply.of(554, "5.5.1", "No valid recipients"));
            return;
        }
        if (!arg.isEmpty()) {
            error(Reply.of(501, "5.5.4", "Syntax: DATA"));
            return;
        }
        state = State.DATA;
        message = Buffer.buffer(4096);
        dataSize = 0;
        dataError = null;
        reply(Reply.of(354, null, "End data with <CR><LF>.<CR><LF>"));
    }

    private void rset() {
        abortTransaction();
        reply(Reply.of(250, "2.0.0", "Ok"));
    }

    // ---------------------------------------------------------------- data

    private void dataLine(LineSplitter.Line line) {
        byte[] b = line.bytes();
        if (!line.overlong() && b.length == 1 && b[0] == '.') {
            endOfData();
            return;
        }
        if (dataError != null) {
            return;
        }
        if (line.overlong()) {
            dataError = Reply.of(550, "5.5.2", "Message line longer than 998 characters");
            return;
        }
        int bad = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\r' || b[i] == '\n' || b[i] == 0) {
                bad = i;
                break;
            }
        }
        int start = b.length > 0 && b[0] == '.' ? 1 : 0; // dot-unstuffing
        if (bad < 0) {
            append(b, start, b.length);
            return;
        }
        server.stats.verdict("smuggling", server.normalizeSmuggling() ? "normalize" : "reject");
        if (!server.normalizeSmuggling()) {
            // SMTP smuggling (CVE-2023-51764..6): a bare CR/LF or NUL never ends nor splits a message
            dataError = Reply.of(550, "5.5.2", "Bare CR, LF or NUL in message data is not allowed");
            return;
        }
        // normalize: bare CR / LF become line breaks inside the content, NUL is removed; a "." that
        // results is content (it will be dot-stuffed downstream), never an end of data
        Buffer piece = Buffer.buffer(b.length + 8);
        for (int i = start; i < b.length; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < b.length && b[i + 1] == '\n') {
                    i++;
                }
                piece.appendByte((byte) '\r').appendByte((byte) '\n');
            } else if (c != 0) {
                piece.appendByte(c);
            }
        }
        byte[] normalized = piece.getBytes();
        append(normalized, 0, normalized.length);
    }

    private void append(byte[] b, int from, int to) {
        dataSize += (to - from) + 2;
        if (dataSize > server.config.limits().maxMessageSize()) {
            dataError = Reply.of(552, "5.3.4", "Message too big");
            message = null;
            return;
        }
        message.appendBytes(b, from, to - from).appendByte((byte) '\r').appendByte((byte) '\n');
    }

    private void endOfData() {
        state = State.COMMAND;
        busy = true;
        if (dataError != null) {
            Reply r = dataError;
            server.stats.rejection(tx.clientAddress, "smtp", r.firstLine());
            abortTransaction();
            finish(r);
            return;
        }
        tx.message = message;
        message = null;
        server.chain.run(Stage.END_OF_DATA, tx).onComplete(ar -> {
            if (stopped(ar.succeeded() ? ar.result() : null)) {
                abortTransaction();
                return;
            }
            Future<Reply> outcome = server.intakeMode() ? server.intake.submit(intakeAlias, withHeaders())
                    : deliverDownstream();
            outcome.onComplete(r -> {
                Reply reply = r.succeeded() ? r.result()
                        : Reply.of(451, "4.4.2", "Delivery not confirmed by the mail server behind the gateway, try again later");
                if (reply.positive()) {
                    server.stats.messageDelivered();
                }
                tx.resetEnvelope();
                mailAccepted = false;
                intakeAlias = null;
                finish(reply);
            });
        });
    }

    private Buffer withHeaders() {
        Buffer b = Buffer.buffer();
        for (String h : tx.addedHeaders) {
            b.appendString(h).appendString("\r\n");
        }
        return b.appendBuffer(tx.message);
    }

    /** DATA to the downstream only now, after all filters accepted: a refused message never reaches it. */
    private Future<Reply> deliverDownstream() {
        DownstreamConnection ds = downstream;
        if (ds == null || !ds.usable()) {
            return Future.failedFuture("no downstream session");
        }
        return ds.command("DATA", server.downstreamTimeout()).compose(r -> {
            if (r.code() != 354) {
                return Future.succeededFuture(r);
            }
            return ds.sendMessage(tx.message, tx.addedHeaders, tx.subjectPrefix, server.downstreamDataTimeout());
        }).onFailure(e -> {
            LOG.warnf("downstream failed during delivery for %s: %s", tx.clientAddress, e.getMessage());
            dropDownstream();
        });
    }

    // ---------------------------------------------------------------- helpers

    private Future<DownstreamConnection> ensureDownstream() {
        if (downstream != null && downstream.usable()) {
            return Future.succeededFuture(downstream);
        }
        return server.openDownstream().onSuccess(ds -> {
            if (state == State.CLOSED) {
                ds.quit();
            } else {
                downstream = ds;
            }
        });
    }

    private void dropDownstream() {
        if (downstream != null) {
            downstream.close();
            downstream = null;
        }
    }

    /** Ends the current transaction on both sides (RSET downstream, without waiting). */
    private void abortTransaction() {
        if (mailAccepted && downstream != null && downstream.usable()) {
            downstream.command("RSET", server.downstreamTimeout()).onFailure(e -> dropDownstream());
        }
        mailAccepted = false;
        intakeAlias = null;
        tx.resetEnvelope();
    }

    /** Applies a stopping verdict; returns true when the command was answered by it. */
    private boolean stopped(Verdict v) {
        if (state == State.CLOSED) {
            return true;
        }
        if (v == null) {
            finish(Reply.of(451, "4.3.0", "Temporary local problem, try again later"));
            return true;
        }
        switch (v.kind()) {
            case REJECT, TEMPFAIL -> {
                finish(Reply.of(v.code(), v.status(), v.text()));
                return true;
            }
            case DISCONNECT -> {
                closeWith(Reply.of(v.code(), v.status(), v.text()));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void error(Reply r) {
        if (++errors > server.config.limits().maxErrors()) {
            closeWith(Reply.of(421, "4.7.0", "Too many errors"));
            return;
        }
        reply(r);
    }

    /** Answers a command handled synchronously. */
    private void reply(Reply r) {
        busy = true;
        finish(r);
    }

    /** Answers the current command (after the tarpit delay, if any) and goes on with the next line. */
    private void finish(Reply r) {
        long delay = tx.replyDelayMillis;
        tx.replyDelayMillis = 0;
        if (delay > 0) {
            server.vertx.setTimer(delay, t -> finish(r));
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        socket.write(Buffer.buffer(r.wire()));
        // the client's time to answer starts now, not when it sent the command
        lastActivity = System.nanoTime();
        busy = false;
        drain();
    }

    void closeWith(Reply r) {
        if (state == State.CLOSED) {
            return;
        }
        socket.write(Buffer.buffer(r.wire()));
        state = State.CLOSED;
        busy = true;
        queue.clear();
        socket.close();
    }

    /** Called by the server's sweep; true when the session waited too long for the client. */
    boolean timedOut(long now) {
        if (busy || state == State.CLOSED || state == State.GREETING) {
            return false;
        }
        long limit = (state == State.DATA ? server.config.limits().dataTimeout()
                : server.config.limits().commandTimeout()).toNanos();
        return now - lastActivity > limit;
    }

    private void onClosed() {
        state = State.CLOSED;
        queue.clear();
        if (downstream != null) {
            downstream.quit();
            downstream = null;
        }
        server.sessionEnded(this);
    }
}
