package net.trustbl.dns.standalone;

import com.sun.net.httpserver.HttpServer;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.traffic.TrafficCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A standalone responder's lookup counts reach the central service, and survive a failed upload. */
class TrafficUploaderTest {

    DnsServer dns;
    HttpServer central;

    @AfterEach
    void stop() {
        if (dns != null) {
            dns.close();
        }
        if (central != null) {
            central.stop(0);
        }
    }

    @Test
    void countsOfAnsweredQueriesArePostedWithTheKeyAndKeptWhenTheServiceIsAway() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> auths = new CopyOnWriteArrayList<>();
        AtomicInteger status = new AtomicInteger(503);
        central = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        central.createContext("/api/v1/traffic", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            auths.add(ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        central.start();
        ZoneData data = new ZoneData();
        data.replaceAll(1, List.of(new ListingRecord("192.0.2.1", 2, 0.9f)));
        TrafficCounters counters = new TrafficCounters();
        dns = DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).publicHost("trustbl.example").udpThreads(1).build(),
                data, counters);
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.boundPort()));
        r.setTimeout(Duration.ofSeconds(3));
        for (int i = 0; i < 5; i++) {
            assertEquals(Rcode.NOERROR, r.send(query("1.2.0.192.bl.trustbl.test.")).getRcode());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(Rcode.NXDOMAIN, r.send(query("9.2.0.192.bl.trustbl.test.")).getRcode());
        }
        TrafficUploader uploader = new TrafficUploader(counters, "http://127.0.0.1:" + central.getAddress().getPort(), "admin-key");

        assertEquals(0, uploader.uploadOnce(), "the service answered 503");
        assertTrue(uploader.lastError().contains("503"));
        r.send(query("1.2.0.192.bl.trustbl.test.")); // the same client network again: nothing new
        SimpleResolver other = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.boundPort()));
        other.setLocalAddress(new InetSocketAddress("127.0.1.1", 0)); // another /24 (all of 127/8 is loopback)
        other.setTimeout(Duration.ofSeconds(3));
        other.send(query("1.2.0.192.bl.trustbl.test."));
        status.set(202);
        assertEquals(2, uploader.uploadOnce(), "two addresses, the failed upload's counts included");
        String last = bodies.get(bodies.size() - 1);
        // one per client network and interval, however many queries each sent
        assertTrue(last.contains("{\"ip\":\"192.0.2.1\",\"lookups\":2}"), last);
        assertTrue(last.contains("{\"ip\":\"192.0.2.9\",\"lookups\":1}"), last);
        assertEquals("Bearer admin-key", auths.get(auths.size() - 1));
        assertEquals(0, uploader.uploadOnce(), "nothing new: nothing sent");
    }

    @Test
    void aMalformedServiceUrlFailsAtStartAndTrailingSlashesAreIgnored() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new TrafficUploader(new TrafficCounters(), "http://bad host", "k"));

        List<String> paths = new CopyOnWriteArrayList<>();
        central = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        central.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(202, -1);
            ex.close();
        });
        central.start();
        TrafficCounters counters = new TrafficCounters();
        TrafficCounters.Stripe stripe = counters.newStripe();
        stripe.countV4(0xC0000201, 1L, System.nanoTime()); // 192.0.2.1, from one client network
        counters.retire(stripe);
        TrafficUploader uploader = new TrafficUploader(counters, "http://127.0.0.1:" + central.getAddress().getPort() + "//", "k");

        assertEquals(1, uploader.uploadOnce(), String.valueOf(uploader.lastError()));
        assertEquals(List.of("/api/v1/traffic"), paths);
    }

    private static Message query(String name) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    }
}
