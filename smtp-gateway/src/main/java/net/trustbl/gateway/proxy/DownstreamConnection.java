package net.trustbl.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import net.trustbl.gateway.smtp.LineSplitter;
import net.trustbl.gateway.smtp.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The gateway's SMTP client session to the real mail server, driven in step with the client's
 * session (before-queue proxy). One command at a time; any timeout or broken reply closes the
 * connection, because its state is then unknown and the client must be told to retry.
 */
public final class DownstreamConnection {

    private final Vertx vertx;
    private final NetSocket socket;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final List<String> replyLines = new ArrayList<>();
    private boolean closed;
    private boolean sizeOffered;
    private boolean eightBitOffered;
    private boolean dsnOffered;

    private record Pending(Promise<Reply> promise, long timer) {
    }

    private DownstreamConnection(Vertx vertx, NetSocket socket) {
        this.vertx = vertx;
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
        return client.connect(port, host).compose(socket -> {
            DownstreamConnection c = new DownstreamConnection(vertx, socket);
            return c.expect(timeoutMillis)
                    .compose(greeting -> greeting.code() == 220 ? Future.succeededFuture(greeting)
                            : Future.failedFuture("downstream greeting " + greeting.firstLine()))
                    .compose(g -> c.command("EHLO " + heloName, timeoutMillis))
                    .compose(ehlo -> {
                        if (ehlo.code() == 250) {
                            for (String l : ehlo.lines()) {
                                String kw = l.toUpperCase(Locale.ROOT);
                                c.sizeOffered |= kw.startsWith("SIZE");
                                c.eightBitOffered |= kw.startsWith("8BITMIME");
                                c.dsnOffered |= kw.equals("DSN");
                            }
                            return Future.succeededFuture(c);
                        }
                        return c.command("HELO " + heloName, timeoutMillis).compose(helo -> helo.code() == 250
                                ? Future.succeededFuture(c) : Future.failedFuture("downstream HELO " + helo.firstLine()));
                    })
                    .onFailure(e -> c.close());
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

    public boolean usable() {
        return !closed;
    }

    public Future<Reply> command(String line, long timeoutMillis) {
        if (closed) {
            return Future.failedFuture("downstream connection closed");
        }
        Future<Reply> f = expect(timeoutMillis);
        socket.write(Buffer.buffer(line + "\r\n"));
        return f;
    }

    /**
     * Sends the message after a 354: added headers first, the subject prefix applied in the header
     * section, every line starting with a dot doubled (dot-stuffing), then the end-of-data dot.
     */
    public Future<Reply> sendMessage(Buffer message, List<String> headers, String subjectPrefix, long timeoutMillis) {
        if (closed) {
            return Future.failedFuture("downstream connection closed");
        }
        Buffer out = Buffer.buffer(message.length() + message.length() / 50 + 256);
        for (String h : headers) {
            out.appendString(h).appendString("\r\n");
        }
        boolean inHeaders = true;
        byte[] prefix = subjectPrefix == null ? null : (subjectPrefix + " ").getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int n = message.length();
        while (start < n) {
            int end = indexOfCrlf(message, start);
            int lineEnd = end < 0 ? n : end;
            if (lineEnd == start) {
                inHeaders = false;
            }
            if (message.getByte(start) == '.' && lineEnd > start) {
                out.appendByte((byte) '.');
            }
            if (inHeaders && prefix != null && startsWithIgnoreCase(message, start, lineEnd, "subject:")) {
                out.appendBuffer(message, start, 8);
                int textStart = start + 8;
                while (textStart < lineEnd && message.getByte(textStart) == ' ') {
                    textStart++;
                }
                out.appendByte((byte) ' ').appendBytes(prefix);
                out.appendBuffer(message, textStart, lineEnd - textStart);
                prefix = null;
            } else {
                out.appendBuffer(message, start, lineEnd - start);
            }
            out.appendString("\r\n");
            start = end < 0 ? n : end + 2;
        }
        out.appendString(".\r\n");
        Future<Reply> f = expect(timeoutMillis);
        socket.write(out);
        return f;
    }

    /** Says QUIT without waiting for the answer, then closes. */
    public void quit() {
        if (!closed) {
            socket.write(Buffer.buffer("QUIT\r\n"));
            vertx.setTimer(1000, t -> close());
            closed = true;
        }
    }

    public void close() {
        closed = true;
        socket.close();
    }

    private static int indexOfCrlf(Buffer b, int from) {
        int n = b.length() - 1;
        for (int i = from; i < n; i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithIgnoreCase(Buffer b, int start, int end, String prefix) {
        if (end - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) b.getByte(start + i)) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
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
