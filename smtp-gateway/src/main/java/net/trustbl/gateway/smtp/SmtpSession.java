package net.trustbl.gateway.smtp;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import net.trustbl.gateway.filter.FilterChain;
import net.trustbl.gateway.filter.Stage;
import net.trustbl.gateway.filter.Verdict;
import net.trustbl.gateway.protocol.LineSplitter;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.transaction.Transaction;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One client connection: the SMTP protocol state machine and the filter chain calls. What a
 * transaction does once its filters passed is up to its
 * {@link net.trustbl.gateway.transaction.TransactionHandler} (proxy or intake). Runs entirely on
 * one event loop; a command whose answer needs slow work (filters, downstream) sets {@code busy}
 * and the next pipelined line waits.
 *
 * <p>Delivery model: the client gets 250 for its message only when the handler's delivery answered
 * 250; every other outcome is a 4xx/5xx to the client. Nothing is queued here.
 */
public final class SmtpSession {

    private static final Logger LOG = Logger.getLogger(SmtpSession.class);
    /** Octets of a text line without its CRLF (RFC 5321 4.5.3.1.6: 1000 with it). */
    static final int MAX_TEXT_LINE = 998;
    /** Octets of a command line without its CRLF (RFC 5321 4.5.3.1.4: 512 with it). */
    static final int MAX_COMMAND_LINE = 510;

    /** Idle time between transactions after which the downstream session is given back (QUIT). */
    static final long IDLE_DOWNSTREAM_NANOS = 10_000_000_000L;

    enum State { GREETING, COMMAND, DATA, CLOSED }

    private final SmtpServer server;
    private final SessionChannel channel;
    final Transaction tx;
    /** The configuration snapshot this session started with: a reload does not change it mid-session. */
    final FilterChain chain;
    private final MailCommands mail;

    private State state = State.GREETING;
    private boolean pipeliningOffered;
    private boolean tlsActive;
    private final Greeting greeting;
    private final ErrorLimits limits;
    private final SessionDeadlines deadlines;
    /** The client's verified reverse name, looked up once at connect (null when none). */
    private Future<String> clientName;
    String sessionKey;
    java.util.Set<SmtpSession> localSet;

    SmtpSession(SmtpServer server, NetSocket socket, InetAddress client) {
        this.server = server;
        this.tx = new Transaction(client);
        this.greeting = new Greeting(tx);
        this.chain = server.chain();
        this.tx.sessionId = MailCommands.newId();
        // RFC 5321 4.5.3.1.6: a text line is at most 1000 octets including the CRLF, so 998 before it;
        // command lines (4.5.3.1.4: 512 including CRLF) are checked against 510 in command()
        this.channel = new SessionChannel(socket, MAX_TEXT_LINE, this::onLine,
                () -> state == State.DATA || pipeliningOffered, () -> tx.unauthorizedPipelining = true);
        this.limits = new ErrorLimits(server.config.tarpit(), server.config.limits().recipientOvershootLimit());
        this.mail = new MailCommands(this, server, tx, limits);
        this.deadlines = new SessionDeadlines(System.nanoTime(), server.config.limits().maxSessionTime().toNanos(),
                server.config.limits().minDataRate());
    }

    void start() {
        NetSocket socket = channel.socket();
        socket.handler(this::onData);
        socket.exceptionHandler(e -> socket.close());
        socket.closeHandler(v -> onClosed());
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
        chain.run(Stage.CONNECT, tx).onComplete(ar -> {
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
            clientName(); // the reverse name, for Received and XFORWARD, resolves while the client says EHLO
            finish(new Reply(220, List.of(server.config.hostname() + " ESMTP TrustBL gateway")));
        });
    }

    // ---------------------------------------------------------------- input

    private void onData(Buffer data) {
        if (state == State.GREETING) {
            tx.pregreet = true;
        }
        channel.onData(data);
    }

    private void onLine(LineSplitter.Line line) {
        if (state == State.DATA) {
            mail.dataLine(line);
        } else {
            command(line);
        }
    }

    // ---------------------------------------------------------------- commands

    private void command(LineSplitter.Line line) {
        if (line.overlong() || line.length() > MAX_COMMAND_LINE) {
            reply(Reply.of(500, "5.5.2", "Line too long"));
            return;
        }
        String cmd = new String(line.bytes(), StandardCharsets.ISO_8859_1);
        for (int i = 0; i < cmd.length(); i++) {
            char c = cmd.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                reply(Reply.of(500, "5.5.2", "Bare CR, LF or NUL in command"));
                return;
            }
        }
        int sp = cmd.indexOf(' ');
        String verb = (sp < 0 ? cmd : cmd.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : cmd.substring(sp + 1).trim();
        switch (verb) {
            case "EHLO", "HELO" -> helo(verb.equals("EHLO"), arg);
            case "STARTTLS" -> startTls(arg);
            case "MAIL" -> mail.mail(cmd);
            case "RCPT" -> mail.rcpt(cmd);
            case "DATA" -> mail.data(arg);
            case "RSET" -> mail.rset();
            case "NOOP" -> reply(Reply.of(250, "2.0.0", "Ok"));
            case "QUIT" -> closeWith(Reply.of(221, "2.0.0", "Bye"));
            case "VRFY" -> reply(Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message"));
            case "HELP" -> reply(Reply.of(214, "2.0.0", "See RFC 5321"));
            case "EXPN", "AUTH", "BDAT", "ETRN", "TURN" -> reply(Reply.of(502, "5.5.1", "Command not implemented"));
            default -> reply(Reply.of(500, "5.5.1", "Command unrecognized"));
        }
    }

    private void helo(boolean extended, String arg) {
        if (arg.isEmpty() || arg.indexOf(' ') >= 0) {
            reply(Reply.of(501, "5.5.4", "Syntax: " + (extended ? "EHLO" : "HELO") + " hostname"));
            return;
        }
        mail.abortTransaction();
        greeting.judging(arg, extended);
        channel.hold();
        chain.run(Stage.HELO, tx).onComplete(ar -> {
            Verdict v = ar.succeeded() ? ar.result() : null;
            greeting.judged(v); // before the reply: a command pipelined after a refusal sees the name kept
            if (stopped(v)) {
                return;
            }
            pipeliningOffered = extended;
            finish(extended ? ehloReply() : Reply.of(250, null, server.config.hostname()));
        });
    }

    private Reply ehloReply() {
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
        return new Reply(250, lines);
    }

    private void startTls(String arg) {
        if (!server.tlsAvailable() || tlsActive) {
            reply(Reply.of(454, "4.7.0", "TLS not available"));
            return;
        }
        if (!arg.isEmpty()) {
            reply(Reply.of(501, "5.5.4", "Syntax: STARTTLS"));
            return;
        }
        channel.discardInput();
        channel.hold();
        channel.write(Reply.of(220, "2.0.0", "Ready to start TLS"));
        channel.socket().upgradeToSsl().onComplete(ar -> {
            if (ar.failed()) {
                LOG.debugf("TLS handshake with %s failed: %s", tx.clientAddress, ar.cause().getMessage());
                channel.socket().close();
                return;
            }
            // RFC 3207: forget everything learned before TLS
            tlsActive = true;
            tx.tls = true;
            greeting.forget();
            pipeliningOffered = false;
            mail.abortTransaction();
            channel.proceed();
        });
    }

    /**
     * DSN is offered only when the operator enabled it and it can be honoured: either the operator
     * says the downstream does DSN ({@code gateway.dsn.advertise}) or the downstream's latest EHLO
     * offered it. Never promised for a downstream that would silently drop the DSN requests.
     */
    boolean dsn() {
        return server.config.dsn().enabled() && !server.intakeMode()
                && (server.config.dsn().advertise() || server.downstreamOffersDsn());
    }

    /**
     * The client's verified reverse name (null when none), looked up once the connect filters let
     * the client in: a client refused at connect costs no DNS question beyond the lists'.
     */
    Future<String> clientName() {
        if (clientName == null) {
            clientName = server.clientNames.verifiedName(tx.clientIp).onSuccess(name -> tx.clientName = name);
        }
        return clientName;
    }

    boolean heloSeen() {
        return greeting.seen();
    }

    void enterData() {
        state = State.DATA;
        deadlines.dataStarted(System.nanoTime());
    }

    void leaveData() {
        state = State.COMMAND;
        deadlines.dataEnded();
    }

    void hold() {
        channel.hold();
    }

    /** Applies a stopping verdict; returns true when the command was answered by it. */
    boolean stopped(Verdict v) {
        if (state == State.CLOSED) {
            return true;
        }
        if (v == null) {
            finish(own(Reply.of(451, "4.3.0", "Temporary local problem, try again later")));
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

    /** Answers a command handled synchronously; a refusal names the session (see {@link #own}). */
    void reply(Reply r) {
        channel.hold();
        finish(own(r));
    }

    /**
     * A refusal of the session itself (syntax, sequence, limits, size) names the session and where
     * to learn more, as filter refusals do: "(smtp, session ID; refusal-info)".
     */
    Reply own(Reply r) {
        if (r.positive() || r.lines().size() != 1) {
            return r;
        }
        String info = server.config.refusalInfo().map(String::trim).filter(i -> !i.isEmpty()).map(i -> "; " + i).orElse("");
        return new Reply(r.code(), List.of(r.lines().get(0) + " (smtp, session " + tx.sessionId + info + ")"));
    }

    /**
     * Answers the current command and goes on with the next line. Every 4xx/5xx counts against the
     * error limits: past the soft limit the reply waits on a timer, at the hard limit the session ends.
     */
    void finish(Reply r) {
        if (state == State.CLOSED) {
            return;
        }
        if (limits.count(r)) {
            closeWith(own(Reply.of(421, "4.7.0", "Too many errors")));
            return;
        }
        long delay = limits.delayMillis();
        if (delay > 0) {
            server.vertx.setTimer(delay, t -> {
                if (state != State.CLOSED) {
                    channel.reply(r);
                }
            });
            return;
        }
        channel.reply(r);
    }

    /** A message was delivered: the errors made before it are forgiven (Postfix). */
    void delivered() {
        limits.delivered();
    }

    void closeWith(Reply r) {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            channel.closeWith(r);
        }
    }

    /** Called by the server's sweep: a client idle between transactions gives its downstream session back. */
    void sweepIdle(long now) {
        if (state == State.COMMAND && !channel.busy() && now - channel.lastActivity > IDLE_DOWNSTREAM_NANOS) {
            mail.releaseIdleDownstream();
        }
    }

    /** Called by the server's sweep; true when the session waited too long for the client. */
    boolean timedOut(long now) {
        if (state == State.CLOSED) {
            return false;
        }
        if (deadlines.expired(now) || deadlines.tooSlow(now, mail.dataBytes())) {
            return true; // a session may not hold the gateway forever, nor trickle a message
        }
        if (channel.busy() || state == State.GREETING) {
            return false;
        }
        long limit = (state == State.DATA ? server.config.limits().dataTimeout()
                : server.config.limits().commandTimeout()).toNanos();
        return now - channel.lastActivity > limit;
    }

    private void onClosed() {
        state = State.CLOSED;
        channel.markClosed();
        mail.sessionClosed();
        server.sessionEnded(this);
    }
}
