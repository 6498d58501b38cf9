package net.trustbl.gateway.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small real SMTP server standing in for the MTA behind the gateway. It records every message
 * exactly as it arrived on the wire (still dot-stuffed) and reacts to markers in the content:
 * DOWNSTREAM-451 answers 451 to the end of data, DOWNSTREAM-DROP closes the connection instead.
 * RCPT to unknown@… is refused 550 5.1.1; RCPT without MAIL gets 503 5.5.1 as from a real MTA. A
 * sender containing "drop-after-mail" is answered 250 and then the connection is closed; for a
 * sender containing "data-250" DATA is answered 250 instead of 354, as by a broken server.
 */
public final class FakeDownstream implements AutoCloseable {

    /** A received message: envelope and the data lines as sent (stuffed), without the final dot. */
    public record Received(String from, List<String> rcpts, List<String> wireLines) {
        public String unstuffedBody() {
            StringBuilder sb = new StringBuilder();
            for (String l : wireLines) {
                sb.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
            }
            return sb.toString();
        }
    }

    public final List<Received> messages = new CopyOnWriteArrayList<>();
    public final List<String> commands = new CopyOnWriteArrayList<>();
    /** Commands whose next command had already arrived when they were read: sent pipelined, in one write. */
    public final List<String> arrivedWithNext = new CopyOnWriteArrayList<>();
    /** Connections accepted so far. */
    public final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    /** Sessions this downstream hung up on after a MAIL from "drop-after-mail" (counted before the close). */
    public final java.util.concurrent.atomic.AtomicInteger hungUp = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether EHLO offers DSN. */
    public volatile boolean offerDsn = true;
    /** Whether EHLO offers XFORWARD / XCLIENT (NAME ADDR PROTO HELO). */
    public volatile boolean offerXforward;
    public volatile boolean offerXclient;
    private final ServerSocket server;

    public FakeDownstream() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fake-downstream");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void clear() {
        messages.clear();
        commands.clear();
        arrivedWithNext.clear();
        offerXforward = false;
        offerXclient = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> session(s), "fake-downstream-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            write(out, "220 downstream.test ESMTP fake");
            String from = null;
            List<String> rcpts = new CopyOnWriteArrayList<>();
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                if (in.available() > 0) {
                    arrivedWithNext.add(line);
                }
                String u = line.toUpperCase();
                if (u.startsWith("EHLO")) {
                    write(out, "250-downstream.test\r\n250-PIPELINING\r\n250-SIZE 50000000\r\n"
                            + (offerDsn ? "250-DSN\r\n" : "")
                            + (offerXforward ? "250-XFORWARD NAME ADDR PROTO HELO SOURCE\r\n" : "")
                            + (offerXclient ? "250-XCLIENT NAME ADDR PROTO HELO LOGIN\r\n" : "") + "250 8BITMIME");
                } else if (u.startsWith("XFORWARD ")) {
                    write(out, "250 2.0.0 Ok");
                } else if (u.startsWith("XCLIENT ")) {
                    from = null;
                    write(out, "220 downstream.test ESMTP fake");
                } else if (u.startsWith("HELO")) {
                    write(out, "250 downstream.test");
                } else if (u.startsWith("MAIL FROM:<REFUSE-MAIL@")) {
                    write(out, "553 5.1.8 sender refused");
                } else if (u.startsWith("MAIL FROM:")) {
                    from = line.substring(10);
                    rcpts.clear();
                    write(out, "250 2.1.0 Ok");
                    if (u.contains("DROP-AFTER-MAIL")) {
                        hungUp.incrementAndGet(); // counted first: the gateway can see the close only after it
                        s.close();
                        return;
                    }
                } else if (u.startsWith("RCPT TO:")) {
                    if (from == null) {
                        write(out, "503 5.5.1 Error: need MAIL command");
                    } else if (u.contains("UNKNOWN@")) {
                        write(out, "550 5.1.1 <" + line.substring(9) + ": user unknown");
                    } else {
                        rcpts.add(line.substring(8));
                        write(out, "250 2.1.5 Ok");
                    }
                } else if (u.equals("DATA") && from != null && from.toUpperCase().contains("DATA-250")) {
                    write(out, "250 2.0.0 Ok");
                } else if (u.equals("DATA")) {
                    write(out, "354 go ahead");
                    List<String> data = new CopyOnWriteArrayList<>();
                    String d;
                    while ((d = readLine(in)) != null && !d.equals(".")) {
                        data.add(d);
                    }
                    String all = String.join("\n", data);
                    if (all.contains("DOWNSTREAM-DROP")) {
                        return;
                    }
                    if (all.contains("DOWNSTREAM-451")) {
                        write(out, "451 4.3.0 downstream is busy");
                        continue;
                    }
                    messages.add(new Received(from, List.copyOf(rcpts), List.copyOf(data)));
                    write(out, "250 2.0.0 Ok: queued as " + messages.size());
                } else if (u.equals("RSET")) {
                    from = null;
                    write(out, "250 2.0.0 Ok");
                } else if (u.equals("QUIT")) {
                    write(out, "221 2.0.0 Bye");
                    return;
                } else {
                    write(out, "502 5.5.1 what?");
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** Reads up to CRLF; a bare LF is kept inside the line, so we can see anything smuggled through. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n' && prev == '\r') {
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            prev = c;
        }
        return null;
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
