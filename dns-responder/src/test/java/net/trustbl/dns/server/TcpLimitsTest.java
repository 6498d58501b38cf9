package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import net.trustbl.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Slow TCP clients: whole-message deadline, connection lifetime, per-client connection cap. */
class TcpLimitsTest {

    DnsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private DnsServer start(int idleMs, int messageMs, int lifetimeMs, int perClient) throws Exception {
        ZoneData data = new ZoneData();
        data.replaceAll(1, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        return DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).udpThreads(1).tcp(64, idleMs)
                .tcpLimits(messageMs, lifetimeMs, perClient).build(), data);
    }

    private static byte[] query() throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString("1.2.0.192.bl.trustbl.test."), Type.A, DClass.IN)).toWire();
    }

    /** True when the server closed the connection within {@code withinMs} (EOF or reset). */
    private static boolean closedWithin(Socket s, long withinMs) throws IOException {
        s.setSoTimeout((int) withinMs);
        InputStream in = s.getInputStream();
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void aClientDribblingBytesIsCutOffAtTheMessageDeadline() throws Exception {
        server = start(1_000, 1_500, 60_000, 0);
        byte[] q = query();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.boundPort())) {
            OutputStream out = s.getOutputStream();
            Thread dribbler = new Thread(() -> {
                try {
                    out.write(0);
                    out.write(q.length);
                    for (int i = 0; i < q.length; i++) {
                        Thread.sleep(400); // well within the 1 s per-read idle timeout
                        out.write(q[i]);
                        out.flush();
                    }
                } catch (Exception closed) {
                    // the server hung up: expected
                }
            });
            dribbler.setDaemon(true);
            dribbler.start();
            long t0 = System.nanoTime();
            assertTrue(closedWithin(s, 4_000), "a dribbling client must be closed at the message deadline");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1_000 && ms < 3_500, "closed after " + ms + " ms");
        }
    }

    @Test
    void aConnectionIsClosedAtItsLifetimeEvenWhenBusy() throws Exception {
        server = start(1_000, 1_000, 1_500, 0);
        byte[] q = query();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.boundPort())) {
            s.setSoTimeout(2_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            long t0 = System.nanoTime();
            int answered = 0;
            try {
                while (System.nanoTime() - t0 < 4_000_000_000L) {
                    out.writeShort(q.length);
                    out.write(q);
                    out.flush();
                    byte[] a = new byte[in.readUnsignedShort()];
                    in.readFully(a);
                    assertEquals(Rcode.NOERROR, new Message(a).getRcode());
                    answered++;
                    Thread.sleep(300);
                }
            } catch (IOException closed) {
                // EOF or reset: the lifetime ended the connection
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(answered >= 3, "answered " + answered);
            assertTrue(ms < 3_000, "connection must end at its lifetime, lasted " + ms + " ms");
        }
    }

    @Test
    void oneClientAddressGetsAtMostItsShareOfConnections() throws Exception {
        server = start(5_000, 5_000, 60_000, 2);
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                open.add(new Socket(InetAddress.getLoopbackAddress(), server.boundPort()));
            }
            Eventually.within(Duration.ofSeconds(2), () -> server.tcpConnectionsFrom(InetAddress.getLoopbackAddress()) >= 2);
            try (Socket third = new Socket(InetAddress.getLoopbackAddress(), server.boundPort())) {
                assertTrue(closedWithin(third, 2_000), "the third connection from one address is closed");
            }
            assertEquals(1, server.metrics().tcpRefused());
            // the first two still work
            byte[] q = query();
            DataOutputStream out = new DataOutputStream(open.get(0).getOutputStream());
            out.writeShort(q.length);
            out.write(q);
            out.flush();
            DataInputStream in = new DataInputStream(open.get(0).getInputStream());
            open.get(0).setSoTimeout(2_000);
            byte[] a = new byte[in.readUnsignedShort()];
            in.readFully(a);
            assertEquals(Rcode.NOERROR, new Message(a).getRcode());
            // closing one frees a slot
            open.remove(1).close();
            Eventually.within(Duration.ofSeconds(2), () -> server.tcpConnectionsFrom(InetAddress.getLoopbackAddress()) <= 1);
            try (Socket again = new Socket(InetAddress.getLoopbackAddress(), server.boundPort())) {
                assertTrue(!closedWithin(again, 500), "a freed slot is usable again");
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void aClientThatNeverReadsItsAnswersIsClosedAtTheMessageDeadline() throws Exception {
        server = start(5_000, 1_000, 60_000, 0);
        byte[] q = query();
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.boundPort()));
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream(), 65536));
            // pipelined queries and no reads: the answers fill the client's window, then the server's
            // buffer, and the server's write blocks (it used to block until the server stopped)
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 400_000; i++) {
                        out.writeShort(q.length);
                        out.write(q);
                    }
                    out.flush();
                } catch (IOException closed) {
                    // the server hung up: expected
                }
            });
            writer.setDaemon(true);
            writer.start();
            Eventually.await("the stuck connection closed by the write watchdog", Duration.ofSeconds(20),
                    () -> server.tcpWriteTimeouts() == 1);
            Eventually.await("its slot freed", Duration.ofSeconds(2),
                    () -> server.tcpConnectionsFrom(InetAddress.getLoopbackAddress()) == 0);
        }
    }

    @Test
    void theConnectionCapCountsAnIpv6Slash64AsOneClient() throws Exception {
        InetAddress a = InetAddress.getByName("2001:db8:1:2::1");
        assertEquals(DnsServer.clientKey(a), DnsServer.clientKey(InetAddress.getByName("2001:db8:1:2:ffff:1:2:3")));
        assertNotEquals(DnsServer.clientKey(a), DnsServer.clientKey(InetAddress.getByName("2001:db8:1:3::1")));
        InetAddress v4 = InetAddress.getByName("192.0.2.7");
        assertEquals(v4, DnsServer.clientKey(v4));
        assertNotEquals(DnsServer.clientKey(v4), DnsServer.clientKey(InetAddress.getByName("192.0.2.8")));
    }
}
