package net.trustbl.gateway.support;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

/** A raw SMTP client for tests: writes exact bytes, reads whole (multi-line) replies. */
public final class SmtpTestClient implements AutoCloseable {

    /** Reply code and all lines joined with "\n". */
    public record Reply(int code, String text) {
        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public SmtpTestClient(int port) throws IOException {
        this(port, "127.0.0.1");
    }

    /** Connects from the given loopback source address (127.0.0.x), to look like another client. */
    public SmtpTestClient(int port, String sourceIp) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(sourceIp), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public Reply read() throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            String line = FakeDownstream.readLine(in);
            if (line == null) {
                return new Reply(-1, text.toString());
            }
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(line.length() > 4 ? line.substring(4) : "");
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString());
            }
        }
    }

    public void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    public Reply command(String line) throws IOException {
        send(line + "\r\n");
        return read();
    }

    /** Greeting, EHLO, MAIL, RCPT: returns the RCPT reply. */
    public Reply envelope(String from, String... rcpts) throws IOException {
        Reply r = read();
        if (r.code() != 220) {
            return r;
        }
        command("EHLO client.example.net");
        r = command("MAIL FROM:<" + from + ">");
        if (r.code() != 250) {
            return r;
        }
        for (String rcpt : rcpts) {
            r = command("RCPT TO:<" + rcpt + ">");
        }
        return r;
    }

    /** DATA, the body (already dot-stuffed, CRLF lines) and the final dot: returns the final reply. */
    public Reply data(String stuffedBody) throws IOException {
        Reply r = command("DATA");
        if (r.code() != 354) {
            return r;
        }
        send(stuffedBody + (stuffedBody.endsWith("\r\n") ? "" : "\r\n") + ".\r\n");
        return read();
    }

    /** Switches the socket to TLS (after a 220 to STARTTLS), trusting any certificate. */
    public void startTls() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        tls.startHandshake();
        socket = tls;
        in = new BufferedInputStream(tls.getInputStream());
        out = tls.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
