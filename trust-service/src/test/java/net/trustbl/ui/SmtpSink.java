package net.trustbl.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small real SMTP server for tests (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA with dot
 * unstuffing, RSET, NOOP, QUIT). quarkus-mailer talks to it over TCP exactly as to a real relay;
 * the tests read what it received.
 */
final class SmtpSink implements AutoCloseable {

    /** One received message: envelope plus the raw data. */
    record Message(String from, List<String> to, String data) {

        String header(String name) {
            String head = data.split("\r?\n\r?\n", 2)[0].replaceAll("\r?\n[ \t]+", " ");
            for (String line : head.split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** The body, decoded from quoted-printable or base64 when the message says so. */
        String body() {
            String[] parts = data.split("\r?\n\r?\n", 2);
            String raw = parts.length > 1 ? parts[1] : "";
            String cte = header("Content-Transfer-Encoding");
            if (cte != null && cte.equalsIgnoreCase("quoted-printable")) {
                return decodeQuotedPrintable(raw);
            }
            if (cte != null && cte.equalsIgnoreCase("base64")) {
                return new String(Base64.getMimeDecoder().decode(raw), StandardCharsets.UTF_8);
            }
            return raw;
        }
    }

    private final ServerSocket server;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SmtpSink() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "smtp-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Message> messages() {
        return messages;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> session(s), "smtp-sink-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void session(Socket s) {
        try (s) {
            // no idle timeout: a real server drops idle connections after minutes, and Mails bounds its
            // sends for that case; the tests must not depend on when the mail client retires its pool
            s.setSoTimeout(0);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            reply(out, "220 sink.test ESMTP ready");
            String from = null;
            List<String> to = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.toUpperCase(Locale.ROOT);
                if (cmd.startsWith("EHLO")) {
                    reply(out, "250-sink.test\r\n250-8BITMIME\r\n250 SIZE 10485760");
                } else if (cmd.startsWith("HELO")) {
                    reply(out, "250 sink.test");
                } else if (cmd.startsWith("MAIL FROM:")) {
                    from = line.substring(10).trim();
                    to = new ArrayList<>();
                    reply(out, "250 2.1.0 ok");
                } else if (cmd.startsWith("RCPT TO:")) {
                    String rcpt = line.substring(8).trim();
                    int sp = rcpt.indexOf(' ');
                    to.add((sp > 0 ? rcpt.substring(0, sp) : rcpt).replaceAll("[<>]", ""));
                    reply(out, "250 2.1.5 ok");
                } else if (cmd.equals("DATA")) {
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    StringBuilder data = new StringBuilder();
                    String l;
                    while ((l = in.readLine()) != null && !l.equals(".")) {
                        data.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
                    }
                    messages.add(new Message(from, List.copyOf(to), new String(data.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)));
                    reply(out, "250 2.0.0 queued");
                } else if (cmd.equals("RSET")) {
                    from = null;
                    to = new ArrayList<>();
                    reply(out, "250 2.0.0 ok");
                } else if (cmd.equals("NOOP")) {
                    reply(out, "250 2.0.0 ok");
                } else if (cmd.equals("QUIT")) {
                    reply(out, "221 2.0.0 bye");
                    return;
                } else {
                    reply(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static String decodeQuotedPrintable(String s) {
        String joined = s.replaceAll("=\r?\n", "");
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            if (c == '=' && i + 2 < joined.length()
                    && Character.digit(joined.charAt(i + 1), 16) >= 0 && Character.digit(joined.charAt(i + 2), 16) >= 0) {
                b.write(Integer.parseInt(joined.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.write((byte) c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
