package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import net.trustbl.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.MemberView;
import net.trustbl.dns.index.ZoneData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

class DnsServerTest {

    static final String ZONE = "bl.trustbl.test.";

    ZoneData data;
    DnsServer server;

    @BeforeEach
    void start() throws Exception {
        data = new ZoneData();
        data.replaceAll(100, List.of(
                new ListingRecord("192.0.2.1", 2, 0.9f),
                new ListingRecord("192.0.2.2", 3, 0.2f),
                new ListingRecord("198.51.100.0/24", 2, 0.9f),
                new ListingRecord("2001:db8::/64", 2, 0.9f)));
        server = DnsServer.start(config().build(), data);
    }

    DnsConfig.Builder config() {
        return DnsConfig.builder().bind("127.0.0.1", 0).publicHost("trustbl.example").udpThreads(2);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Message query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    Message send(Message q, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.boundPort()));
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(3));
        return r.send(q);
    }

    Message ask(String name, int type) throws Exception {
        return send(query(name, type), false);
    }

    /** Sends raw bytes over UDP and returns the raw answer, or null after the timeout. */
    byte[] raw(byte[] packet, int timeoutMillis) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(timeoutMillis);
            s.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), server.boundPort()));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
            return java.util.Arrays.copyOf(buf, p.getLength());
        }
    }

    @Test
    void listedAddressAnswersAWithReturnCodeAndTxtWithTheIp() throws Exception {
        Message a = ask("1.2.0.192." + ZONE, Type.A);
        assertEquals(Rcode.NOERROR, a.getRcode());
        assertTrue(a.getHeader().getFlag(Flags.AA));
        assertFalse(a.getHeader().getFlag(Flags.RA));
        ARecord rec = (ARecord) a.getSection(Section.ANSWER).get(0);
        assertEquals("127.0.0.2", rec.getAddress().getHostAddress());
        assertEquals(300, rec.getTTL());
        Message t = ask("2.2.0.192." + ZONE, Type.TXT);
        assertEquals("Listed by TrustBL: https://trustbl.example/lookup/192.0.2.2",
                ((TXTRecord) t.getSection(Section.ANSWER).get(0)).getStrings().get(0));
        Message c = ask("2.2.0.192." + ZONE, Type.A);
        assertEquals("127.0.0.3", ((ARecord) c.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        Message range = ask("77.100.51.198.BL.TrustBL.test.", Type.A); // case-insensitive
        assertEquals(1, range.getSection(Section.ANSWER).size());
    }

    @Test
    void anyGivesAAndTxtInOneMinimalAnswer() throws Exception {
        Message m = ask("1.2.0.192." + ZONE, Type.ANY);
        List<Record> answers = m.getSection(Section.ANSWER);
        assertEquals(2, answers.size());
        assertEquals(Type.A, answers.get(0).getType());
        assertEquals(Type.TXT, answers.get(1).getType());
    }

    @Test
    void notListedIsNxdomainWithSoaAndNegativeTtl() throws Exception {
        Message m = ask("9.9.9.9." + ZONE, Type.A);
        assertEquals(Rcode.NXDOMAIN, m.getRcode());
        assertTrue(m.getSection(Section.ANSWER).isEmpty());
        SOARecord soa = (SOARecord) m.getSection(Section.AUTHORITY).get(0);
        assertEquals(100, soa.getSerial());
        assertEquals(60, soa.getTTL());
        assertEquals(60, soa.getMinimum());
        assertEquals(Name.fromString(ZONE), soa.getName());
    }

    @Test
    void otherTypesOnAListedNameAreNodata() throws Exception {
        Message m = ask("1.2.0.192." + ZONE, Type.MX);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertTrue(m.getSection(Section.ANSWER).isEmpty());
        assertEquals(Type.SOA, m.getSection(Section.AUTHORITY).get(0).getType());
        Message enT = ask("2.0.192." + ZONE, Type.A); // empty non-terminal
        assertEquals(Rcode.NOERROR, enT.getRcode());
    }

    @Test
    void apexAnswersSoaAndNs() throws Exception {
        Message soa = ask(ZONE, Type.SOA);
        assertEquals(100, ((SOARecord) soa.getSection(Section.ANSWER).get(0)).getSerial());
        Message ns = ask(ZONE, Type.NS);
        assertEquals(Type.NS, ns.getSection(Section.ANSWER).get(0).getType());
        data.apply(101, List.of(new ListingRecord("203.0.113.5", 2, 1f)));
        assertEquals(101, ((SOARecord) ask(ZONE, Type.SOA).getSection(Section.ANSWER).get(0)).getSerial());
        assertEquals(Rcode.NOERROR, ask("5.113.0.203." + ZONE, Type.A).getRcode());
    }

    @Test
    void outsideTheZoneIsRefusedWithoutRecursion() throws Exception {
        Message m = ask("www.example.com.", Type.A);
        assertEquals(Rcode.REFUSED, m.getRcode());
        assertFalse(m.getHeader().getFlag(Flags.RA));
    }

    @Test
    void rfc5782TestPoints() throws Exception {
        assertEquals(Rcode.NOERROR, ask("2.0.0.127." + ZONE, Type.A).getRcode());
        assertEquals(Rcode.NXDOMAIN, ask("1.0.0.127." + ZONE, Type.A).getRcode());
        String v6listed = "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0." + ZONE;
        String v6unlisted = "1.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0." + ZONE;
        assertEquals(Rcode.NOERROR, ask(v6listed, Type.A).getRcode());
        assertEquals(Rcode.NXDOMAIN, ask(v6unlisted, Type.A).getRcode());
    }

    @Test
    void ipv6NibbleNames() throws Exception {
        String name = "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2." + ZONE;
        Message m = ask(name, Type.TXT);
        assertEquals("Listed by TrustBL: https://trustbl.example/lookup/2001:db8::5",
                ((TXTRecord) m.getSection(Section.ANSWER).get(0)).getStrings().get(0));
        String other = "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2." + ZONE;
        assertEquals(Rcode.NXDOMAIN, ask(other, Type.A).getRcode());
    }

    @Test
    void memberKeysSelectTheirViewAndUnknownKeysAreRefused() throws Exception {
        data.putMemberView(new MemberView("k7abc", 0.5, List.of("192.0.2.1"), List.of("203.0.113.0/24")));
        assertEquals(Rcode.NXDOMAIN, ask("1.2.0.192.k7abc." + ZONE, Type.A).getRcode());
        Message deny = ask("9.113.0.203.k7abc." + ZONE, Type.A);
        assertEquals("127.0.0.4", ((ARecord) deny.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        assertEquals(Rcode.NXDOMAIN, ask("2.2.0.192.k7abc." + ZONE, Type.A).getRcode()); // score 0.2 < 0.5
        assertEquals(Rcode.NOERROR, ask("5.100.51.198.K7ABC." + ZONE, Type.A).getRcode());
        assertEquals(Rcode.REFUSED, ask("1.2.0.192.nosuchkey." + ZONE, Type.A).getRcode());
        assertEquals(Rcode.REFUSED, ask("1.2.0.192.nosuchkey." + ZONE, Type.MX).getRcode());
        Map<String, Long> keys = new HashMap<>();
        Map<String, Long> ips = new HashMap<>();
        server.traffic().drain(ips::put, keys::put);
        assertEquals(4L, keys.get("k7abc"));
        assertEquals(1L, ips.get("192.0.2.1"));
    }

    @Test
    void otherOpcodesAreNotImplementedAndGarbageIsFormerrOrDropped() throws Exception {
        Message status = query("1.2.0.192." + ZONE, Type.A);
        status.getHeader().setOpcode(Opcode.STATUS);
        assertEquals(Rcode.NOTIMP, send(status, false).getRcode());
        Message update = query(ZONE, Type.SOA);
        update.getHeader().setOpcode(Opcode.UPDATE);
        assertEquals(Rcode.NOTIMP, send(update, false).getRcode());
        byte[] junk = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 63, 'x', 'y'};
        byte[] answer = raw(junk, 2000);
        assertNotNull(answer);
        assertEquals(0x12, answer[0]);
        assertEquals(Rcode.FORMERR, answer[3] & 15);
        assertEquals(null, raw(new byte[] {1, 2, 3}, 300)); // too short for a header: dropped
        assertEquals(Rcode.NOERROR, ask("1.2.0.192." + ZONE, Type.A).getRcode());
    }

    @Test
    void ednsIsEchoedAndBadVersionGetsBadvers() throws Exception {
        Message q = query("1.2.0.192." + ZONE, Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0, 0), Section.ADDITIONAL);
        Message r = send(q, false);
        assertNotNull(r.getOPT());
        assertEquals(1232, r.getOPT().getPayloadSize());
        Message bad = query("1.2.0.192." + ZONE, Type.A);
        bad.addRecord(new OPTRecord(4096, 0, 1, 0), Section.ADDITIONAL);
        assertEquals(Rcode.BADVERS, send(bad, false).getRcode());
    }

    @Test
    void answersThatDoNotFitSetTcAndTcpCarriesThem() throws Exception {
        server.close();
        String longText = "$ ".repeat(60); // 60 copies of the IP: more than 512 bytes
        server = DnsServer.start(config().txtTemplate(longText).build(), data);
        byte[] q = query("1.2.0.192." + ZONE, Type.ANY).toWire(); // no EDNS: 512 bytes at most
        byte[] viaUdp = raw(q, 2000);
        assertTrue((viaUdp[2] & 0x02) != 0, "TC set");
        assertEquals(0, ((viaUdp[6] & 255) << 8) | (viaUdp[7] & 255));
        Message viaTcp = send(query("1.2.0.192." + ZONE, Type.ANY), true);
        assertEquals(2, viaTcp.getSection(Section.ANSWER).size());
    }

    @Test
    void tcpCarriesSeveralQueriesOnOneConnection() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.boundPort())) {
            s.setSoTimeout(3000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            String[] names = {"1.2.0.192.", "9.9.9.9.", "2.2.0.192."};
            for (int i = 0; i < names.length; i++) { // pipelined: all written before reading
                Message q = query(names[i] + ZONE, Type.A);
                q.getHeader().setID(1000 + i);
                byte[] w = q.toWire();
                out.writeShort(w.length);
                out.write(w);
            }
            out.flush();
            int[] rcodes = new int[3];
            for (int i = 0; i < 3; i++) {
                byte[] b = new byte[in.readUnsignedShort()];
                in.readFully(b);
                Message m = new Message(b);
                assertEquals(1000 + i, m.getHeader().getID());
                rcodes[i] = m.getRcode();
            }
            assertArrayEquals(new int[] {Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.NOERROR}, rcodes);
        }
    }

    @Test
    void tcpIdleConnectionsAreClosed() throws Exception {
        server.close();
        server = DnsServer.start(config().tcp(8, 300).build(), data);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.boundPort())) {
            s.setSoTimeout(3000);
            long t0 = System.nanoTime();
            assertEquals(-1, s.getInputStream().read());
            assertTrue(System.nanoTime() - t0 < 2_500_000_000L);
        }
    }

    @Test
    void axfrAndIxfrFollowTheFeed() throws Exception {
        ZoneTransferIn axfr = ZoneTransferIn.newAXFR(Name.fromString(ZONE), "127.0.0.1", server.boundPort(), null);
        axfr.run();
        List<Record> all = axfr.getAXFR();
        assertEquals(Type.SOA, all.get(0).getType());
        assertTrue(all.stream().anyMatch(r -> r.getName().toString().equals("1.2.0.192." + ZONE) && r.getType() == Type.A));
        assertTrue(all.stream().anyMatch(r -> r.getName().toString().equals("*.100.51.198." + ZONE)));
        assertTrue(all.stream().anyMatch(r -> r.getName().toString().equals("2.0.0.127." + ZONE)));
        data.apply(101, List.of(new ListingRecord("203.0.113.9", 2, 1f), ListingRecord.removal("192.0.2.1")));
        ZoneTransferIn ixfr = ZoneTransferIn.newIXFR(Name.fromString(ZONE), 100, false, "127.0.0.1", server.boundPort(), null);
        ixfr.run();
        assertTrue(ixfr.isIXFR());
        ZoneTransferIn.Delta d = ixfr.getIXFR().get(0);
        assertEquals(100, d.start);
        assertEquals(101, d.end);
        assertTrue(d.adds.stream().anyMatch(r -> r.getName().toString().equals("9.113.0.203." + ZONE)));
        assertTrue(d.deletes.stream().anyMatch(r -> r.getName().toString().equals("1.2.0.192." + ZONE)));
        ZoneTransferIn current = ZoneTransferIn.newIXFR(Name.fromString(ZONE), 101, false, "127.0.0.1", server.boundPort(), null);
        current.run();
        assertTrue(current.isCurrent());
    }

    @Test
    void tsigProtectsTransfersAndSignsAnswers() throws Exception {
        server.close();
        String secret = java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
        server = DnsServer.start(config().tsigKey("xfr-key:hmac-sha256:" + secret).build(), data);
        org.xbill.DNS.TSIG key = new org.xbill.DNS.TSIG("hmac-sha256", "xfr-key", secret);
        ZoneTransferIn signed = ZoneTransferIn.newAXFR(Name.fromString(ZONE), "127.0.0.1", server.boundPort(), key);
        signed.run(); // dnsjava verifies every message's TSIG and throws on a bad one
        assertTrue(signed.getAXFR().size() > 10);
        data.apply(101, List.of(new ListingRecord("203.0.113.9", 2, 1f)));
        ZoneTransferIn ixfr = ZoneTransferIn.newIXFR(Name.fromString(ZONE), 100, false, "127.0.0.1", server.boundPort(), key);
        ixfr.run();
        assertTrue(ixfr.isIXFR());
        ZoneTransferIn unsigned = ZoneTransferIn.newAXFR(Name.fromString(ZONE), "127.0.0.1", server.boundPort(), null);
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, unsigned::run);
        org.xbill.DNS.TSIG wrong = new org.xbill.DNS.TSIG("hmac-sha256", "xfr-key",
                java.util.Base64.getEncoder().encodeToString("another secret of 32 bytes!!!!!!".getBytes()));
        ZoneTransferIn bad = ZoneTransferIn.newAXFR(Name.fromString(ZONE), "127.0.0.1", server.boundPort(), wrong);
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, bad::run);
        // a signed ordinary query gets a signed answer
        Message q = query(ZONE, Type.SOA);
        q.setTSIG(key);
        byte[] w = q.toWire(512); // only the sized toWire signs
        byte[] a = raw(w, 2000);
        Message r = new Message(a);
        assertEquals(Rcode.NOERROR, r.getRcode(), r.toString());
        assertNotNull(r.getTSIG());
        assertEquals(Rcode.NOERROR, key.verify(r, a, new Message(w).getTSIG()));
    }

    @Test
    void transfersOutsideTheAclAreRefused() throws Exception {
        server.close();
        server = DnsServer.start(config().transferAcl(List.of("10.0.0.0/8")).build(), data);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.boundPort())) {
            s.setSoTimeout(3000);
            byte[] w = query(ZONE, Type.AXFR).toWire();
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(w.length);
            out.write(w);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] b = new byte[in.readUnsignedShort()];
            in.readFully(b);
            Message r = new Message(b);
            assertEquals(Rcode.REFUSED, r.getRcode());
            assertTrue(r.getSection(Section.ANSWER).isEmpty());
        }
    }

    @Test
    void queryAclRefusesOthers() throws Exception {
        server.close();
        server = DnsServer.start(config().queryAcl(List.of("10.0.0.0/8")).build(), data);
        assertEquals(Rcode.REFUSED, ask("1.2.0.192." + ZONE, Type.A).getRcode());
        assertEquals(1, server.metrics().aclRefused());
    }

    @Test
    void notifyGoesToSecondariesWhenTheSerialMoves() throws Exception {
        try (DatagramSocket secondary = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            secondary.setSoTimeout(3000);
            server.close();
            server = DnsServer.start(config().notifyTargets(
                    List.of(new InetSocketAddress("127.0.0.1", secondary.getLocalPort()))).build(), data);
            data.apply(150, List.of(new ListingRecord("203.0.113.1", 2, 1f)));
            byte[] buf = new byte[1500];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            secondary.receive(p);
            Message n = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
            assertEquals(Opcode.NOTIFY, n.getHeader().getOpcode());
            assertEquals(150, ((SOARecord) n.getSection(Section.ANSWER).get(0)).getSerial());
            Message ack = new Message(n.getHeader().getID());
            ack.getHeader().setFlag(Flags.QR);
            ack.getHeader().setOpcode(Opcode.NOTIFY);
            byte[] w = ack.toWire();
            secondary.send(new DatagramPacket(w, w.length, p.getSocketAddress()));
            Eventually.within(Duration.ofSeconds(3), () -> server.notifiesAcked() > 0);
            assertEquals(1, server.notifiesAcked());
        }
    }

    @Test
    void rateLimitingDropsAndSlipsPerNetwork() throws Exception {
        server.close();
        server = DnsServer.start(config().rrlResponsesPerSecond(5).rrlSlip(2).rrlExempt(List.of()).udpThreads(1).build(), data);
        byte[] q = query("9.9.9.9." + ZONE, Type.A).toWire();
        int full = 0;
        int truncated = 0;
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(300);
            for (int i = 0; i < 40; i++) {
                s.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), server.boundPort()));
            }
            byte[] buf = new byte[1500];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                while (true) {
                    s.receive(p);
                    if ((buf[2] & 0x02) != 0) {
                        truncated++;
                    } else {
                        full++;
                    }
                }
            } catch (java.net.SocketTimeoutException done) {
                // all received
            }
        }
        assertTrue(full <= 10, "at most the limit per second (two windows at worst): " + full);
        assertTrue(truncated > 0, "some slipped as TC");
        assertTrue(server.metrics().rrlDrops() > 0);
        assertTrue(server.metrics().rrlSlips() > 0);
        // rcode counters count what went out: each slip once, drops not at all
        DnsMetrics m = server.metrics();
        Eventually.within(Duration.ofSeconds(2), () -> m.queries() >= 40);
        long sent = 0;
        for (String rc : DnsMetrics.RCODES) {
            sent += m.responsesByRcode(rc);
        }
        assertEquals(full + truncated, sent, "responses counted = responses sent");
        assertEquals(full, m.responsesByRcode("NXDOMAIN"));
        assertEquals(truncated, m.rrlSlips());
        assertEquals(40 - full - truncated, m.rrlDrops());
    }

    @Test
    void metricsCountTypesRcodesHitsAndLatency() throws Exception {
        ask("1.2.0.192." + ZONE, Type.A);
        ask("9.9.9.9." + ZONE, Type.A);
        ask("1.2.0.192." + ZONE, Type.TXT);
        ask(ZONE, Type.SOA);
        DnsMetrics m = server.metrics();
        Eventually.within(Duration.ofSeconds(2), () -> m.queries() >= 4);
        assertEquals(2, m.queriesByType("A"));
        assertEquals(1, m.queriesByType("TXT"));
        assertEquals(1, m.queriesByType("SOA"));
        assertEquals(1, m.responsesByRcode("NXDOMAIN"));
        assertEquals(3, m.responsesByRcode("NOERROR"));
        assertEquals(2, m.listedHits());
        long total = 0;
        for (long v : m.latencyHistogram()) {
            total += v;
        }
        assertEquals(4, total);
    }

    @Test
    void trafficIsCountedPerQueriedIpOncePerClientNetwork() throws Exception {
        for (int i = 0; i < 3; i++) {
            ask("1.2.0.192." + ZONE, Type.A);
            send(query("1.2.0.192." + ZONE, Type.TXT), true); // over TCP too: still the same client
        }
        ask("9.9.9.9." + ZONE, Type.A);
        Map<String, Long> ips = new HashMap<>();
        List<String> keys = new ArrayList<>();
        server.traffic().drain(ips::put, (k, n) -> keys.add(k));
        assertEquals(1L, ips.get("192.0.2.1"));
        assertEquals(1L, ips.get("9.9.9.9"));
        assertTrue(keys.isEmpty());
        Map<String, Long> again = new HashMap<>();
        server.traffic().drain(again::put, (k, n) -> { });
        assertTrue(again.isEmpty(), "drain resets");
    }
}
