package net.trustbl.gateway.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * A downstream for what {@link FakeDownstream} cannot show: it reads message data slowly (so the
 * gateway's writes queue up behind it), records every line after the 354 as it arrived, whether
 * the end-of-data dot came, and what came after it, and answers DATA with {@link #dataReply}.
 * One session at a time.
 */
public final class SlowDownstream implements AutoCloseable {

    /** Lines read after the 354 up to the end-of-data dot or the end of the connection (still dot-stuffed). */
    public final List<String> dataLines = new CopyOnWriteArrayList<>();
    /** Every line read outside message data. */
    public final List<String> commands = new CopyOnWriteArrayList<>();
    /** Whether the end-of-data dot arrived. */
    public volatile boolean messageComplete;
    /** Counted down when the gateway closed the connection. */
    public final CountDownLatch ended = new CountDownLatch(1);
    /** The reply to DATA: "354 go ahead", or anything a broken server might say. */
    public volatile String dataReply = "354 go ahead";
    /** Pause after each 8 KiB of message data read. */
    public volatile long nanosPer8KiB = 5_000_000L;
    private final ServerSocket server;

    public SlowDownstream() throws IOException {
        server = new ServerSocket();
        // a small window (set before bind, so accepted sockets get it): the gateway's writes queue up in its process
        server.setReceiveBufferSize(32 * 1024);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        Thread t = new Thread(this::serve, "slow-downstream");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        try (Socket s = server.accept(); InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
             OutputStream out = s.getOutputStream()) {
            write(out, "220 slow.test ESMTP");
            String line;
            while ((line = FakeDownstream.readLine(in)) != null) {
                commands.add(line);
                String u = line.toUpperCase();
                if (u.equals("DATA")) {
                    write(out, dataReply);
                    if (dataReply.startsWith("354")) {
                        readMessage(in);
                        if (messageComplete) {
                            write(out, "250 2.0.0 Ok: queued");
                        }
                    }
                } else if (u.equals("QUIT")) {
                    write(out, "221 2.0.0 Bye");
                    return;
                } else {
                    write(out, "250 slow.test");
                }
            }
        } catch (IOException e) {
            // the gateway went away
        } finally {
            ended.countDown();
        }
    }

    private void readMessage(InputStream in) throws IOException {
        long read = 0;
        String d;
        while ((d = FakeDownstream.readLine(in)) != null) {
            if (d.equals(".")) {
                messageComplete = true;
                return;
            }
            dataLines.add(d);
            read += d.length() + 2;
            if (read >= 8192) {
                read = 0;
                LockSupport.parkNanos(nanosPer8KiB);
            }
        }
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
