package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.MemberView;
import net.trustbl.dns.index.ZoneData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/** Several zone names ({@code trustbl.dns.zone} as a list) serving the same listings. */
class MultiZoneTest {

    static final String A = "bl.trustbl.test.";
    static final String B = "bl.trustbl.example.";

    ZoneData data;
    DnsServer server;

    @BeforeEach
    void start() throws Exception {
        data = new ZoneData();
        data.replaceAll(100, List.of(
                new ListingRecord("192.0.2.1", 2, 0.9f),
                new ListingRecord("198.51.100.0/24", 3, 0.9f),
                new ListingRecord("2001:db8::/64", 2, 0.9f)));
        data.putMemberView(new MemberView("k7abc", 0.5, List.of("192.0.2.1"), List.of("203.0.113.0/24")));
        server = DnsServer.start(config().build(), data);
    }

    DnsConfig.Builder config() {
        return DnsConfig.builder().bind("127.0.0.1", 0).zone(" BL.trustbl.test. , bl.trustbl.example ")
                .publicHost("trustbl.example").udpThreads(2);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    Message ask(String name, int type, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.boundPort()));
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(3));
        return r.send(DnsServerTest.query(name, type));
    }

    Message ask(String name, int type) throws Exception {
        return ask(name, type, false);
    }

    @Test
    void configListIsNormalizedPrimaryFirst() {
        DnsConfig c = config().build();
        assertEquals("bl.trustbl.test,bl.trustbl.example", c.zone());
        assertEquals(List.of("bl.trustbl.test", "bl.trustbl.example"), c.zones());
        assertEquals("bl.trustbl.test", c.primaryZone());
        assertEquals("ns1.bl.trustbl.test", c.soaMname());
        DnsConfig single = DnsConfig.builder().build();
        assertEquals(List.of("bl.trustbl.test"), single.zones());
        assertEquals(List.of("a.example", "b.example"),
                DnsConfig.fromLookup(k -> k.equals("trustbl.dns.zone") ? "a.example,b.example" : null).zones());
        assertThrows(IllegalArgumentException.class, () -> DnsConfig.builder().zone("a.example,A.example.").build());
        assertThrows(IllegalArgumentException.class, () -> DnsConfig.builder().zone("a.example,x.a.example").build());
        assertThrows(IllegalArgumentException.class, () -> DnsConfig.builder().zone("a.example,,b.example").build());
    }

    @Test
    void listedAddressAnswersUnderEveryZone() throws Exception {
        for (String zone : List.of(A, B)) {
            for (boolean tcp : new boolean[] {false, true}) {
                Message a = ask("1.2.0.192." + zone, Type.A, tcp);
                assertEquals(Rcode.NOERROR, a.getRcode(), zone);
                assertTrue(a.getHeader().getFlag(Flags.AA));
                ARecord rec = (ARecord) a.getSection(Section.ANSWER).get(0);
                assertEquals("127.0.0.2", rec.getAddress().getHostAddress());
                assertEquals(Name.fromString("1.2.0.192." + zone), rec.getName());
            }
            Message t = ask("1.2.0.192." + zone, Type.TXT);
            TXTRecord txt = (TXTRecord) t.getSection(Section.ANSWER).get(0);
            assertEquals("Listed by TrustBL: https://trustbl.example/lookup/192.0.2.1", txt.getStrings().get(0));
            Message range = ask("7.100.51.198." + zone.toUpperCase(), Type.ANY);
            assertEquals(2, range.getSection(Section.ANSWER).size(), zone);
            StringBuilder v6 = new StringBuilder();
            for (int i = 0; i < 31; i++) {
                v6.append("0.");
            }
            Message six = ask("1." + v6.substring(0, 2 * 16) + "8.b.d.0.1.0.0.2." + zone, Type.A);
            assertEquals(Rcode.NOERROR, six.getRcode(), zone);
            // slow path (dnsjava) for a listed name too: NODATA for another type, with this zone's SOA
            Message mx = ask("1.2.0.192." + zone, Type.MX);
            assertEquals(Rcode.NOERROR, mx.getRcode());
            assertEquals(Name.fromString(zone), mx.getSection(Section.AUTHORITY).get(0).getName());
        }
    }

    @Test
    void zonesWithDifferentLabelCountsMatchOnTheFastPath() throws Exception {
        server.close();
        server = DnsServer.start(config().zone("dnsbl.example,bl.trustbl.test,x.y.z.example").build(), data);
        for (String zone : List.of("dnsbl.example.", A, "x.y.z.example.")) {
            assertEquals("127.0.0.2", ((ARecord) ask("1.2.0.192." + zone, Type.A).getSection(Section.ANSWER).get(0))
                    .getAddress().getHostAddress(), zone);
            Message nx = ask("3.2.0.192." + zone, Type.A);
            assertEquals(Rcode.NXDOMAIN, nx.getRcode(), zone);
            assertEquals(Name.fromString(zone), nx.getSection(Section.AUTHORITY).get(0).getName());
            assertEquals(Name.fromString("ns1.dnsbl.example."), ((SOARecord) nx.getSection(Section.AUTHORITY).get(0)).getHost());
        }
        assertEquals(Rcode.REFUSED, ask("1.2.0.192.z.example.", Type.A).getRcode());
        assertEquals(Rcode.REFUSED, ask("1.2.0.192.example.", Type.A).getRcode());
    }

    @Test
    void notListedIsNxdomainWithTheSoaOfTheQueriedZone() throws Exception {
        for (String zone : List.of(A, B)) {
            Message m = ask("9.9.0.192." + zone, Type.A);
            assertEquals(Rcode.NXDOMAIN, m.getRcode(), zone);
            Record soa = m.getSection(Section.AUTHORITY).get(0);
            assertEquals(Type.SOA, soa.getType());
            assertEquals(Name.fromString(zone), soa.getName());
            assertEquals(100, ((SOARecord) soa).getSerial());
            // slow path: a malformed IP name, also NXDOMAIN under the right zone
            Message bad = ask("x.9.0.192." + zone, Type.A);
            assertEquals(Rcode.NXDOMAIN, bad.getRcode());
            assertEquals(Name.fromString(zone), bad.getSection(Section.AUTHORITY).get(0).getName());
        }
    }

    @Test
    void eachApexHasItsOwnSoaAndNsWithTheSameSerial() throws Exception {
        for (String zone : List.of(A, B)) {
            Message m = ask(zone, Type.SOA);
            assertEquals(Rcode.NOERROR, m.getRcode());
            SOARecord soa = (SOARecord) m.getSection(Section.ANSWER).get(0);
            assertEquals(Name.fromString(zone), soa.getName());
            assertEquals(100, soa.getSerial());
            assertEquals(Name.fromString("ns1." + A), soa.getHost());
            Message ns = ask(zone, Type.NS);
            NSRecord n = (NSRecord) ns.getSection(Section.ANSWER).get(0);
            assertEquals(Name.fromString(zone), n.getName());
        }
        data.apply(101, List.of(new ListingRecord("203.0.113.9", 2, 1f)));
        for (String zone : List.of(A, B)) {
            assertEquals(101, ((SOARecord) ask(zone, Type.SOA).getSection(Section.ANSWER).get(0)).getSerial());
        }
    }

    @Test
    void personalViewsUnderEveryZone() throws Exception {
        for (String zone : List.of(A, B)) {
            Message allowed = ask("1.2.0.192.k7abc." + zone, Type.A);
            assertEquals(Rcode.NXDOMAIN, allowed.getRcode(), zone);
            assertEquals(Name.fromString(zone), allowed.getSection(Section.AUTHORITY).get(0).getName());
            Message denied = ask("5.113.0.203.k7abc." + zone, Type.A);
            assertEquals("127.0.0.4", ((ARecord) denied.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
            assertEquals(Rcode.REFUSED, ask("5.113.0.203.nokey." + zone, Type.A).getRcode());
        }
    }

    @Test
    void axfrAndIxfrOfTheSecondZoneUseItsName() throws Exception {
        ZoneTransferIn axfr = ZoneTransferIn.newAXFR(Name.fromString(B), "127.0.0.1", server.boundPort(), null);
        axfr.run();
        List<Record> all = axfr.getAXFR();
        assertEquals(Type.SOA, all.get(0).getType());
        assertEquals(Name.fromString(B), all.get(0).getName());
        assertTrue(all.stream().anyMatch(r -> r.getName().toString().equals("1.2.0.192." + B) && r.getType() == Type.A));
        assertTrue(all.stream().anyMatch(r -> r.getName().toString().equals("*.100.51.198." + B)));
        Name b = Name.fromString(B);
        assertTrue(all.stream().allMatch(r -> r.getName().subdomain(b)), "every record under " + B);
        ZoneTransferIn first = ZoneTransferIn.newAXFR(Name.fromString(A), "127.0.0.1", server.boundPort(), null);
        first.run();
        assertEquals(all.size(), first.getAXFR().size());
        data.apply(101, List.of(new ListingRecord("203.0.113.9", 2, 1f)));
        ZoneTransferIn ixfr = ZoneTransferIn.newIXFR(b, 100, false, "127.0.0.1", server.boundPort(), null);
        ixfr.run();
        assertTrue(ixfr.isIXFR());
        ZoneTransferIn.Delta d = ixfr.getIXFR().get(0);
        assertEquals(101, d.end);
        assertTrue(d.adds.stream().anyMatch(r -> r.getName().toString().equals("9.113.0.203." + B)));
        // a transfer of a name below the apex is still refused
        Exception refused = assertThrows(Exception.class, () -> ask("192." + B, Type.AXFR, true));
        assertTrue(String.valueOf(refused.getMessage()).contains("REFUSED"), refused.toString());
    }

    @Test
    void namesOutsideAllZonesAreRefused() throws Exception {
        for (String name : List.of("1.2.0.192.bl.trustbl.other.", "1.2.0.192.trustbl.test.", "trustbl.example.",
                "1.2.0.192.xbl.trustbl.test.")) {
            Message m = ask(name, Type.A);
            assertEquals(Rcode.REFUSED, m.getRcode(), name);
            assertFalse(m.getHeader().getFlag(Flags.RA));
            assertTrue(m.getSection(Section.ANSWER).isEmpty());
        }
        assertEquals(Rcode.REFUSED, ask("bl.trustbl.other.", Type.SOA).getRcode());
    }

    @Test
    void notifyIsSentForEveryZone() throws Exception {
        try (DatagramSocket secondary = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            secondary.setSoTimeout(3000);
            server.close();
            server = DnsServer.start(config().notifyTargets(
                    List.of(new InetSocketAddress("127.0.0.1", secondary.getLocalPort()))).build(), data);
            data.apply(150, List.of(new ListingRecord("203.0.113.1", 2, 1f)));
            Set<Name> notified = new HashSet<>();
            while (notified.size() < 2) {
                byte[] buf = new byte[1500];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                secondary.receive(p);
                Message n = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                assertEquals(Opcode.NOTIFY, n.getHeader().getOpcode());
                SOARecord soa = (SOARecord) n.getSection(Section.ANSWER).get(0);
                assertEquals(150, soa.getSerial());
                assertEquals(n.getQuestion().getName(), soa.getName());
                notified.add(n.getQuestion().getName());
                Message ack = new Message(n.getHeader().getID());
                ack.getHeader().setFlag(Flags.QR);
                ack.getHeader().setOpcode(Opcode.NOTIFY);
                byte[] w = ack.toWire();
                secondary.send(new DatagramPacket(w, w.length, p.getSocketAddress()));
            }
            assertEquals(Set.of(Name.fromString(A), Name.fromString(B)), notified);
        }
    }
}
