package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.zone.ZoneRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The allow zone ({@code trustbl.dns.allow-zone}): trusted senders on their own data, answered 127.0.10.x. */
class AllowZoneTest {

    ZoneData list;
    ZoneData allow;
    DnsServer server;

    @BeforeEach
    void start() throws Exception {
        list = new ZoneData();
        list.replaceAll(7, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        allow = new ZoneData();
        allow.replaceAll(40, List.of(new ListingRecord("198.51.100.5", 1, 0f), new ListingRecord("198.51.100.6", 3, 0f)));
        DnsConfig config = DnsConfig.builder().bind("127.0.0.1", 0).publicHost("trustbl.example").udpThreads(1).build();
        server = DnsServer.start(config, list, allow, new TrafficCounters(), ZoneFreshness.always());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Message ask(String name, int type, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.boundPort()));
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(3));
        return r.send(DnsServerTest.query(name, type));
    }

    private static String address(Message m) {
        return ((ARecord) m.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress();
    }

    @Test
    void aTrustedSenderAnswers127010WithItsCodeOverUdpAndTcp() throws Exception {
        for (boolean tcp : new boolean[] {false, true}) {
            assertEquals("127.0.10.1", address(ask("5.100.51.198.wl.trustbl.test.", Type.A, tcp)));
            assertEquals("127.0.10.3", address(ask("6.100.51.198.wl.trustbl.test.", Type.A, tcp)));
        }
        Message any = ask("5.100.51.198.wl.trustbl.test.", Type.ANY, true); // off the fast path's A-only case
        assertEquals(2, any.getSection(Section.ANSWER).size());
    }

    @Test
    void theTxtNamesTheLookupPage() throws Exception {
        Message m = ask("5.100.51.198.wl.trustbl.test.", Type.TXT, false);
        TXTRecord txt = (TXTRecord) m.getSection(Section.ANSWER).get(0);
        assertEquals("Trusted by TrustBL: https://trustbl.example/lookup/198.51.100.5", String.join("", txt.getStrings()));
    }

    @Test
    void theZonesKeepTheirOwnData() throws Exception {
        assertEquals(Rcode.NXDOMAIN, ask("1.2.0.192.wl.trustbl.test.", Type.A, false).getRcode());
        assertEquals(Rcode.NXDOMAIN, ask("5.100.51.198.bl.trustbl.test.", Type.A, false).getRcode());
        assertEquals("127.0.0.2", address(ask("1.2.0.192.bl.trustbl.test.", Type.A, false)));
        Message soa = ask("wl.trustbl.test.", Type.SOA, false);
        assertEquals(40, ((org.xbill.DNS.SOARecord) soa.getSection(Section.ANSWER).get(0)).getSerial());
    }

    @Test
    void theRfc5782TestPointAnswersInTheAllowZoneToo() throws Exception {
        assertEquals("127.0.10.2", address(ask("2.0.0.127.wl.trustbl.test.", Type.A, false)));
        assertEquals(Rcode.NXDOMAIN, ask("1.0.0.127.wl.trustbl.test.", Type.A, false).getRcode());
    }

    @Test
    void theAllowZoneIsReadFromItsKeyAndMayNotOverlapTheList() {
        assertEquals("wl.trustbl.test", DnsConfig.defaults().allowZone());
        DnsConfig c = DnsConfig.fromLookup(k -> switch (k) {
            case "trustbl.dns.allow-zone" -> "WL.Example.Org.";
            case "trustbl.dns.public-host" -> "example.org";
            default -> null;
        });
        assertEquals("wl.example.org", c.allowZone());
        assertEquals("Trusted by TrustBL: https://example.org/lookup/$", c.allowTxtTemplate());
        assertThrows(IllegalArgumentException.class, () -> DnsConfig.builder().allowZone("bl.trustbl.test", null).build());
        assertThrows(IllegalArgumentException.class, () -> DnsConfig.builder().zone("trustbl.test").build());
    }

    @Test
    void aRecordOfTheAllowZoneAnswers127010() {
        Record a = ZoneRecords.allowZone(DnsConfig.defaults()).a(org.xbill.DNS.Name.root, 1);
        assertEquals("127.0.10.1", ((ARecord) a).getAddress().getHostAddress());
    }
}
