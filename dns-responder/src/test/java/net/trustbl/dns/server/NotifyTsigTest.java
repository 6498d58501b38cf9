package net.trustbl.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * Incoming NOTIFY makes a follower transfer at once, so with a TSIG key it must be signed like a
 * transfer request (the source address of a UDP packet proves nothing); the NOTIFYs we send are
 * signed with the same key, and the sender neither takes an ack from another address nor waits
 * past its deadline however much junk reaches its port.
 */
class NotifyTsigTest {

    private static final String ZONE = "bl.trustbl.test.";
    private static final String SECRET = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final TSIG KEY = new TSIG("hmac-sha256", "xfr-key", SECRET);
    private static final TSIG WRONG_KEY = new TSIG("hmac-sha256", "xfr-key",
            Base64.getEncoder().encodeToString("another secret of 32 bytes!!!!!!".getBytes()));

    private static DnsConfig.Builder config() {
        return DnsConfig.builder().bind("127.0.0.1", 0).udpThreads(1);
    }

    private static ZoneData data(long serial) {
        ZoneData d = new ZoneData();
        d.replaceAll(serial, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        return d;
    }

    private static Message notifyMessage() throws Exception {
        Message m = new Message();
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(Name.fromString(ZONE), Type.SOA, DClass.IN), Section.QUESTION);
        return m;
    }

    /** Sends {@code wire} over UDP from loopback and returns the raw answer. */
    private static byte[] udp(int port, byte[] wire) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(3000);
            s.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            s.receive(p);
            return Arrays.copyOf(p.getData(), p.getLength());
        }
    }

    @Test
    void withATsigKeyOnlyASignedNotifyTriggersARefresh() throws Exception {
        AtomicInteger triggered = new AtomicInteger();
        try (DnsServer replica = DnsServer.start(config().tsigKey("xfr-key:hmac-sha256:" + SECRET).build(), data(1))) {
            replica.onNotify(List.of("127.0.0.1"), a -> triggered.incrementAndGet());
            int port = replica.boundPort();

            // from the allowed address, but unsigned: anyone can put that address on a UDP packet
            Message unsigned = new Message(udp(port, notifyMessage().toWire()));
            assertEquals(Rcode.REFUSED, unsigned.getRcode(), unsigned.toString());
            assertEquals(0, triggered.get());

            Message bad = notifyMessage();
            bad.setTSIG(WRONG_KEY);
            Message badAnswer = new Message(udp(port, bad.toWire(512))); // only the sized toWire signs
            assertEquals(Rcode.NOTAUTH, badAnswer.getRcode(), badAnswer.toString());
            assertEquals(0, triggered.get());

            Message signed = notifyMessage();
            signed.setTSIG(KEY);
            byte[] query = signed.toWire(512);
            byte[] answer = udp(port, query);
            Message ok = new Message(answer);
            assertEquals(Rcode.NOERROR, ok.getRcode(), ok.toString());
            assertEquals(Opcode.NOTIFY, ok.getHeader().getOpcode());
            assertNotNull(ok.getTSIG(), "a signed NOTIFY is answered signed");
            assertEquals(Rcode.NOERROR, KEY.verify(ok, answer, new Message(query).getTSIG()));
            assertEquals(1, triggered.get());
        }
    }

    @Test
    void withoutAKeyTheSourceAddressStillDecides() throws Exception {
        AtomicInteger triggered = new AtomicInteger();
        try (DnsServer replica = DnsServer.start(config().build(), data(1))) {
            replica.onNotify(List.of("10.0.0.1"), a -> triggered.incrementAndGet());
            assertEquals(Rcode.REFUSED, new Message(udp(replica.boundPort(), notifyMessage().toWire())).getRcode());
            replica.onNotify(List.of("127.0.0.1"), a -> triggered.incrementAndGet());
            assertEquals(Rcode.NOERROR, new Message(udp(replica.boundPort(), notifyMessage().toWire())).getRcode());
            assertEquals(1, triggered.get());
        }
    }

    @Test
    void aPrimaryWithATsigKeySignsItsNotifiesAndTakesTheSignedAck() throws Exception {
        String key = "xfr-key:hmac-sha256:" + SECRET;
        AtomicInteger triggered = new AtomicInteger();
        ZoneData primaryData = data(10);
        try (DnsServer replica = DnsServer.start(config().tsigKey(key).build(), data(1))) {
            replica.onNotify(List.of("127.0.0.1"), a -> triggered.incrementAndGet());
            try (DnsServer primary = DnsServer.start(config().tsigKey(key)
                    .notifyTargets(List.of(new InetSocketAddress("127.0.0.1", replica.boundPort()))).build(), primaryData)) {
                primaryData.apply(11, List.of(new ListingRecord("203.0.113.1", 2, 1f)));
                // the replica takes each NOTIFY (one per zone name), and the primary each signed ack at the first try
                Eventually.await("the replica takes the signed NOTIFY", Duration.ofSeconds(5), () -> triggered.get() >= 1);
                Eventually.await("the primary verifies the signed acks", Duration.ofSeconds(5),
                        () -> primary.notifiesAcked() == triggered.get() && primary.notifiesSent() == triggered.get());
            }
        }
    }

    @Test
    void anAckFromAnotherAddressIsNoAck() throws Exception {
        assertEquals(0, floodedRound(true), "nothing acknowledged: the ack came from the wrong address");
    }

    @Test
    void junkAtTheSendersPortDoesNotKeepARoundAlive() throws Exception {
        assertEquals(0, floodedRound(false));
    }

    /**
     * A secondary that never answers, while another socket keeps sending the primary's NOTIFY
     * socket a forged ack (right id, wrong address) or junk (wrong id): the round must still end
     * at its deadline, which the next serial's NOTIFY arriving shows. Returns the acks counted.
     */
    private static long floodedRound(boolean forgedAck) throws Exception {
        ZoneData primaryData = data(10);
        AtomicBoolean stop = new AtomicBoolean();
        try (DatagramSocket secondary = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DnsServer primary = DnsServer.start(config().notifyTargets(
                     List.of(new InetSocketAddress("127.0.0.1", secondary.getLocalPort()))).build(), primaryData)) {
            secondary.setSoTimeout(5000);
            primaryData.apply(11, List.of(new ListingRecord("203.0.113.1", 2, 1f)));
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            secondary.receive(p);
            Message n = new Message(Arrays.copyOf(p.getData(), p.getLength()));
            assertEquals(11, ((SOARecord) n.getSection(Section.ANSWER).get(0)).getSerial());
            SocketAddress sender = p.getSocketAddress();
            byte[] packet;
            if (forgedAck) {
                Message forged = new Message(n.getHeader().getID());
                forged.getHeader().setFlag(Flags.QR);
                forged.getHeader().setOpcode(Opcode.NOTIFY);
                packet = forged.toWire();
            } else {
                int otherId = (n.getHeader().getID() + 1) & 0xffff;
                packet = new byte[] {(byte) (otherId >> 8), (byte) otherId, (byte) 0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            }
            Thread flood = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        attacker.send(new DatagramPacket(packet, packet.length, sender));
                        Thread.sleep(50);
                    }
                } catch (Exception done) {
                    // socket closed
                }
            });
            flood.start();
            try {
                primaryData.apply(12, List.of(new ListingRecord("203.0.113.2", 2, 1f)));
                long serial = 0;
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (serial != 12 && System.nanoTime() < until) {
                    try {
                        secondary.receive(p);
                    } catch (java.net.SocketTimeoutException quiet) {
                        continue;
                    }
                    Message m = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                    serial = ((SOARecord) m.getSection(Section.ANSWER).get(0)).getSerial();
                }
                assertEquals(12, serial, "the NOTIFY for serial 12 came: the flooded round ended");
                return primary.notifiesAcked();
            } finally {
                stop.set(true);
                flood.join();
            }
        }
    }

    @Test
    void aRepliedNotifyWithTheWrongIdIsNoAck() throws Exception {
        ZoneData primaryData = data(10);
        try (DatagramSocket secondary = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DnsServer primary = DnsServer.start(config().notifyTargets(
                     List.of(new InetSocketAddress("127.0.0.1", secondary.getLocalPort()))).build(), primaryData)) {
            secondary.setSoTimeout(5000);
            primaryData.apply(11, List.of(new ListingRecord("203.0.113.1", 2, 1f)));
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            secondary.receive(p);
            Message n = new Message(Arrays.copyOf(p.getData(), p.getLength()));
            Message wrongId = new Message((n.getHeader().getID() + 1) & 0xffff);
            wrongId.getHeader().setFlag(Flags.QR);
            wrongId.getHeader().setOpcode(Opcode.NOTIFY);
            byte[] w = wrongId.toWire();
            secondary.send(new DatagramPacket(w, w.length, p.getSocketAddress()));
            secondary.receive(p); // the retry: the wrong id was ignored
            Message retry = new Message(Arrays.copyOf(p.getData(), p.getLength()));
            assertEquals(n.getHeader().getID(), retry.getHeader().getID());
            Message ack = new Message(n.getHeader().getID());
            ack.getHeader().setFlag(Flags.QR);
            ack.getHeader().setOpcode(Opcode.NOTIFY);
            byte[] a = ack.toWire();
            secondary.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
            Eventually.await("the ack with the right id counts", Duration.ofSeconds(3), () -> primary.notifiesAcked() == 1);
        }
    }
}
