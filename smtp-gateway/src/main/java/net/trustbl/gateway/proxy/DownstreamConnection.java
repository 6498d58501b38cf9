package net.trustbl.gateway.proxy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import net.trustbl.gateway.protocol.LineSplitter;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.transaction.MessageContent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The gateway's SMTP client session to the real mail server, driven in step with the client's
 * session (before-queue proxy). Any timeout or broken reply closes the connection, because its
 * state is then unknown and the client must be told to retry. Commands given in one turn of the
 * event loop go out in one write at its end (XFORWARD, MAIL and RCPT when the downstream offers
 * PIPELINING): one system call and one round trip instead of three.
 */
public final class DownstreamConnection {

    private final Vertx vertx;
    private final Context context;
    private final NetSocket socket;
    /** Commands of this event-loop turn, written together at its end (null: none). */
    private Buffer outgoing;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final List<String> replyLines = new ArrayList<>();
    private boolean closed;
    private boolean sizeOffered;
    private boolean eightBitOffered;
    private boolean dsnOffered;
    private boolean pipeliningOffered;
    private Set<String> xforwardAttributes = Set.of();
    private Set<String> xclientAttributes = Set.of();
    /** The client identity told with XCLIENT on this connection (it holds for the connection). */
    private ClientIdentity announced;
    /** A DATA was sent and its message not yet answered: the downstream may be reading message text. */
    private boolean dataOpen;
    /** The message being written after a 354, until its reply (null: none). */
    private MessageWriter writer;
    /** A MAIL was sent and its transaction not yet ended by the message's reply or an RSET. */
    private boolean transactionOpen;
    /** Transactions begun on this connection and when it was opened (DownstreamCache's reuse limits). */
    private int uses;
    private final long openedAt = System.currentTimeMillis();

    private record Pending(Promise<Reply> promise, long timer) {
    }

    private DownstreamConnection(Vertx vertx, NetSocket socket) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext(); // the socket's event loop: open() runs there
        this.socket = socket;
        LineSplitter splitter = new LineSplitter(2048, line -> onLine(line));
        socket.handler(splitter::feed);
        socket.closeHandler(v -> failAll("downstream closed the connection"));
        socket.exceptionHandler(e -> {
            failAll("downstream I/O error: " + e.getMessage());
            socket.close();
        });
    }

    /** Connects, reads the greeting and says EHLO (HELO when EHLO is refused). */
    public static Future<DownstreamConnection> open(Vertx vertx, NetClient client, String host, int port,
                                                    String heloName, long timeoutMillis) {
        if (Vertx.currentContext() == null) {
            // Called from a plain thread, the connect could complete on the event loop before the
            // compose below is registered; the socket would then read the greeting with no handler
            // set and drop it. On a context thread completion cannot overtake the registration.
            Promise<DownstreamConnection> hop = Promise.promise();
            vertx.runOnContext(v -> open(vertx, client, host, port, heloName, timeoutMillis).onComplete(hop));
            return hop.future();
        }
        return client.connect(port, host).compose(socket -> {
            DownstreamConnection c = new DownstreamConnection(vertx, socket);
            return c.greeting(timeoutMillis)
                    .compose(g -> c.ehlo(heloName, timeoutMillis))
                    .onFailure(e -> c.close());
        });
    }

    private Future<Reply> greeting(long timeoutMillis) {
        return expect(timeoutMillis).compose(greeting -> greeting.code() == 220 ? Future.succeededFuture(greeting)
                : Future.failedFuture("downstream greeting " + greeting.firstLine()));
    }

    private Future<DownstreamConnection> ehlo(String heloName, long timeoutMillis) {
        return command("EHLO " + heloName, timeoutMillis).compose(ehlo -> {
            if (ehlo.code() == 250) {
                learnExtensions(ehlo);
                return Future.succeededFuture(this);
            }
            return command("HELO " + heloName, timeoutMillis).compose(helo -> helo.code() == 250
                    ? Future.succeededFuture(this) : Future.failedFuture("downstream HELO " + helo.firstLine()));
        });
    }

    private void learnExtensions(Reply ehlo) {
        sizeOffered = eightBitOffered = dsnOffered = pipeliningOffered = false;
        xforwardAttributes = xclientAttributes = Set.of();
        for (String l : ehlo.lines()) {
            String kw = l.toUpperCase(Locale.ROOT);
            sizeOffered |= kw.startsWith("SIZE");
            eightBitOffered |= kw.startsWith("8BITMIME");
            dsnOffered |= kw.equals("DSN");
            pipeliningOffered |= kw.equals("PIPELINING");
            if (kw.startsWith("XFORWARD ")) {
                xforwardAttributes = Set.copyOf(Arrays.asList(kw.substring(9).trim().split("\\s+")));
            } else if (kw.startsWith("XCLIENT ")) {
                xclientAttributes = Set.copyOf(Arrays.asList(kw.substring(8).trim().split("\\s+")));
            }
        }
    }

    /** XFORWARD attributes the downstream offered (empty when it offers none). */
    public Set<String> xforwardAttributes() {
        return xforwardAttributes;
    }

    public Set<String> xclientAttributes() {
        return xclientAttributes;
    }

    public ClientIdentity announced() {
        return announced;
    }

    /**
     * Tells the downstream who the client is with XCLIENT: it answers with a new greeting, and the
     * session starts over with EHLO in the client's name, so its restrictions judge the client.
     */
    public Future<DownstreamConnection> xclient(ClientIdentity identity, long timeoutMillis) {
        String cmd = identity.command("XCLIENT", xclientAttributes);
        if (cmd == null) {
            return Future.succeededFuture(this);
        }
        Future<Reply> greeting = expect(timeoutMillis);
        send(cmd);
        return greeting.compose(g -> g.code() == 220 ? Future.succeededFuture(g)
                        : Future.failedFuture("downstream refused XCLIENT: " + g.firstLine()))
                .compose(g -> {
                    announced = identity;
                    return ehlo(identity.helo() == null ? "[" + identity.address().getHostAddress() + "]" : identity.helo(),
                            timeoutMillis);
                });
    }

    public boolean sizeOffered() {
        return sizeOffered;
    }

    public boolean eightBitOffered() {
        return eightBitOffered;
    }

    public boolean dsnOffered() {
        return dsnOffered;
    }

    /** RFC 2920: commands may be sent before the previous one was answered (replies come in order). */
    public boolean pipeliningOffered() {
        return pipeliningOffered;
    }

    public boolean usable() {
        return !closed;
    }

    public Future<Reply> command(String line, long timeoutMillis) {
        if (closed) {
            return Future.failedFuture("downstream connection closed");
        }
        Future<Reply> f = expect(timeoutMillis);
        if (line.equals("DATA")) {
            dataOpen = true;
            f = f.onSuccess(r -> dataOpen = r.code() == 354);
        } else if (line.startsWith("MAIL ")) {
            uses++;
            transactionOpen = true;
        } else if (line.equals("RSET")) {
            f = f.onSuccess(r -> transactionOpen &= r.code() != 250);
        }
        send(line);
        return f;
    }

    /** Queues a command line for the write at the end of this event-loop turn. */
    private void send(String line) {
        if (outgoing == null) {
            outgoing = Buffer.buffer(256);
            context.runOnContext(v -> flushOutgoing());
        }
        outgoing.appendString(line).appendString("\r\n");
    }

    private void flushOutgoing() {
        Buffer b = outgoing;
        outgoing = null;
        if (b != null) { // null: nothing queued this turn (QUIT flushes before its own write)
            socket.write(b);
        }
    }

    /**
     * No transaction is open downstream: the last one ended with its message's reply or an RSET
     * (RFC 5321 4.1.1.4), so the next MAIL needs no RSET before it.
     */
    boolean betweenTransactions() {
        return !transactionOpen && !dataOpen;
    }

    /**
     * Whether another client's transactions may use this connection next (after an RSET): open,
     * not inside a message, and not told one client's identity with XCLIENT.
     */
    boolean reusable(int maxUses, long maxAgeMillis) {
        return !closed && !dataOpen && announced == null && uses < maxUses
                && System.currentTimeMillis() - openedAt < maxAgeMillis;
    }

    /** Sends the message after a 354 (see {@link MessageWriter}); the reply is the downstream's verdict. */
    public Future<Reply> sendMessage(MessageContent message, List<String> headers, String subjectPrefix, long timeoutMillis) {
        if (closed) {
            return Future.failedFuture("downstream connection closed");
        }
        MessageWriter w;
        try {
            w = new MessageWriter(socket, message.openStream(), message.size(), headers, subjectPrefix);
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        writer = w;
        Future<Reply> f = expect(timeoutMillis).onComplete(done -> {
            w.close();
            writer = null;
            dataOpen = false; // answered: the downstream reads commands again
            transactionOpen &= done.failed(); // the message's reply ends the transaction, whatever it says
        });
        w.write();
        return f;
    }

    /**
     * Says QUIT without waiting for the answer, then closes. Inside message data it only closes:
     * QUIT there would be a line of the message (and the message's own end-of-data dot could still
     * follow it), while a connection closed before the dot makes the downstream drop the
     * transaction (RFC 5321 3.8).
     */
    public void quit() {
        if (!closed && dataOpen) {
            close();
        } else if (!closed) {
            flushOutgoing();
            socket.write(Buffer.buffer("QUIT\r\n"));
            vertx.setTimer(1000, t -> close());
            closed = true;
        }
    }

    public void close() {
        closed = true;
        outgoing = null; // commands not yet written stay unwritten
        if (writer != null) {
            writer.close(); // not one more message byte: the bytes already queued are flushed by the close
        }
        socket.close();
    }

    private Future<Reply> expect(long timeoutMillis) {
        Promise<Reply> p = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, t -> {
            failAll("downstream did not answer within " + timeoutMillis + " ms");
            socket.close();
        });
        pending.addLast(new Pending(p, timer));
        return p.future();
    }

    private void onLine(LineSplitter.Line line) {
        String s = new String(line.bytes(), StandardCharsets.ISO_8859_1);
        if (s.length() < 3 || !Character.isDigit(s.charAt(0)) || !Character.isDigit(s.charAt(1))
                || !Character.isDigit(s.charAt(2)) || (s.length() > 3 && s.charAt(3) != ' ' && s.charAt(3) != '-')) {
            failAll("malformed downstream reply: " + s);
            socket.close();
            return;
        }
        replyLines.add(s.length() > 4 ? s.substring(4) : "");
        if (s.length() > 3 && s.charAt(3) == '-') {
            if (replyLines.size() > 100) {
                failAll("downstream reply too long");
                socket.close();
            }
            return;
        }
        Reply reply = new Reply(Integer.parseInt(s.substring(0, 3)), List.copyOf(replyLines));
        replyLines.clear();
        Pending p = pending.pollFirst();
        if (p == null) {
            failAll("unexpected downstream reply: " + s);
            socket.close();
            return;
        }
        vertx.cancelTimer(p.timer);
        p.promise.tryComplete(reply);
        if (reply.code() == 421) {
            close();
        }
    }

    private void failAll(String why) {
        closed = true;
        Pending p;
        while ((p = pending.pollFirst()) != null) {
            vertx.cancelTimer(p.timer);
            p.promise.tryFail(why);
        }
    }
}
