package net.trustbl.dns.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.server.ZoneFreshness;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.zone.ZoneRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Issue 14 item 5: a replica answers SERVFAIL for names in its zones until it has data, answers
 * once it has, and fails closed again when the data outlives the SOA expire without a refresh.
 * Time is a fake clock, moved by the test.
 */
class FailClosedTest {

    private static final String ZONE = "bl.trustbl.test.";
    private static final String LISTED = "1.2.0.192." + ZONE;
    private static final String UNLISTED = "9.9.9.9." + ZONE;
    private static final String TEST_POINT_LISTED = "2.0.0.127." + ZONE;
    private static final String TEST_POINT_UNLISTED = "1.0.0.127." + ZONE;
    private static final String TEST_POINT_V6 = "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0." + ZONE;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void replicaFailsClosedUntilTransferredAndAgainAfterTheExpire() throws Exception {
        ZoneData primaryData = new ZoneData();
        primaryData.replaceAll(10, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        DnsConfig pc = DnsConfig.builder().bind("127.0.0.1", 0).soa("ns.trustbl.test", "hostmaster.trustbl.test", 60, 30, 1000).build();
        ZoneData copy = new ZoneData();
        ZoneFreshness freshness = ZoneFreshness.failClosed(Duration.ofSeconds(604_800), clock::get);
        DnsConfig rc = DnsConfig.builder().bind("127.0.0.1", 0).udpThreads(1).build();
        int unreachable = closedPort();
        try (DnsServer primary = DnsServer.start(pc, primaryData);
             DnsServer replica = DnsServer.start(rc, copy, new TrafficCounters(), freshness);
             MetricsEndpoint http = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), replica.metrics(), copy, freshness);
             ZoneFollower cutOff = new ZoneFollower("127.0.0.1", unreachable, new ZoneRecords(rc), copy, null, freshness);
             ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.boundPort(), new ZoneRecords(rc), copy, null, freshness)) {
            int port = replica.boundPort();
            // no data: SERVFAIL for listed, unlisted and the apex, over UDP and TCP; the test points as usual
            assertFalse(cutOff.refresh(), "the primary cannot be reached");
            assertAllServfail(port);
            assertEquals(503, get(http, "/ready"));
            assertTrue(metrics(http).contains("trustbl_dns_zone_data_age_seconds NaN\n"));
            assertTrue(metrics(http).contains("trustbl_dns_zone_servable 0\n"));

            // after the transfer: answers, and the primary's SOA expire applies
            assertTrue(follower.refresh());
            assertEquals(Rcode.NOERROR, rcode(port, LISTED, Type.A, false));
            assertEquals(Rcode.NXDOMAIN, rcode(port, UNLISTED, Type.A, false));
            assertEquals(Rcode.NXDOMAIN, rcode(port, UNLISTED, Type.TXT, true));
            assertEquals(Rcode.NOERROR, rcode(port, ZONE, Type.SOA, false));
            assertEquals(1000, freshness.expireSeconds());
            assertEquals(200, get(http, "/ready"));

            // cut off from the primary past the expire: SERVFAIL again
            clock.addAndGet(Duration.ofSeconds(999).toNanos());
            assertFalse(cutOff.refresh());
            assertEquals(Rcode.NOERROR, rcode(port, LISTED, Type.A, false), "999 s old, the expire is 1000 s");
            assertTrue(metrics(http).contains("trustbl_dns_zone_data_age_seconds 999.000\n"), metrics(http));
            clock.addAndGet(Duration.ofSeconds(2).toNanos());
            assertAllServfail(port);
            assertEquals(503, get(http, "/ready"));

            // a successful refresh (nothing new: the serial is current) makes the data servable again
            assertTrue(follower.refresh());
            assertEquals(Rcode.NOERROR, rcode(port, LISTED, Type.A, false));
            assertEquals(200, get(http, "/ready"));
        }
    }

    @Test
    void fileReplicaAgesWhenItsFileIsGone(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bl.ip4set");
        Files.writeString(f, "192.0.2.1\n");
        ZoneData data = new ZoneData();
        ZoneFreshness freshness = ZoneFreshness.failClosed(Duration.ofSeconds(100), clock::get);
        try (FileWatcher watcher = new FileWatcher(List.of(f), data, freshness);
             DnsServer server = DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).build(), data,
                     new TrafficCounters(), freshness)) {
            int port = server.boundPort();
            assertAllServfail(port);
            watcher.loadNow();
            assertEquals(Rcode.NOERROR, rcode(port, LISTED, Type.A, false));
            clock.addAndGet(Duration.ofSeconds(101).toNanos());
            assertAllServfail(port);
            watcher.poll(); // the file is there, unchanged: what we serve is current
            assertEquals(Rcode.NOERROR, rcode(port, LISTED, Type.A, false));
            Files.delete(f);
            watcher.poll();
            clock.addAndGet(Duration.ofSeconds(50).toNanos());
            watcher.poll();
            assertEquals(Rcode.NOERROR, rcode(port, LISTED, Type.A, false), "the old data, 50 s old");
            clock.addAndGet(Duration.ofSeconds(51).toNanos());
            watcher.poll();
            assertAllServfail(port);
        }
    }

    @Test
    void theBuiltInResponderNeverFailsClosed() {
        ZoneFreshness always = ZoneFreshness.always();
        assertTrue(always.servable());
        assertTrue(Double.isNaN(always.ageSeconds()));
    }

    private static void assertAllServfail(int port) throws Exception {
        for (boolean tcp : new boolean[] {false, true}) {
            assertEquals(Rcode.SERVFAIL, rcode(port, LISTED, Type.A, tcp), "listed, tcp=" + tcp);
            assertEquals(Rcode.SERVFAIL, rcode(port, UNLISTED, Type.A, tcp), "unlisted, tcp=" + tcp);
            assertEquals(Rcode.SERVFAIL, rcode(port, UNLISTED, Type.TXT, tcp), "unlisted TXT, tcp=" + tcp);
            assertEquals(Rcode.SERVFAIL, rcode(port, ZONE, Type.SOA, tcp), "apex, tcp=" + tcp);
            Message listed = query(port, TEST_POINT_LISTED, Type.A, tcp);
            assertEquals(Rcode.NOERROR, listed.getRcode());
            assertEquals("127.0.0.2", listed.getSection(Section.ANSWER).get(0).rdataToString());
            assertEquals(Rcode.NXDOMAIN, rcode(port, TEST_POINT_UNLISTED, Type.A, tcp));
            assertEquals(Rcode.NOERROR, rcode(port, TEST_POINT_V6, Type.TXT, tcp));
        }
    }

    private static int rcode(int port, String name, int type, boolean tcp) throws Exception {
        return query(port, name, type, tcp).getRcode();
    }

    private static Message query(int port, String name, int type, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        r.setTimeout(Duration.ofSeconds(3));
        r.setTCP(tcp);
        return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int get(MetricsEndpoint http, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String metrics(MetricsEndpoint http) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
