package net.trustbl.dns.standalone;

import net.trustbl.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.server.ZoneFreshness;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class MetricsEndpointTest {

    @Test
    void offByDefaultAndConfigurable() {
        assertNull(DnsConfig.defaults().metricsBind());
        assertEquals("127.0.0.1:9153", DnsConfig.fromLookup(k -> k.equals("trustbl.dns.metrics.bind") ? "127.0.0.1:9153" : null).metricsBind());
    }

    @Test
    void prometheusTextWithRcodesHitsDropsAndLatencyBuckets() throws Exception {
        ZoneData data = new ZoneData();
        data.replaceAll(7, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        try (DnsServer server = DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).udpThreads(1).build(), data);
             MetricsEndpoint ep = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), server.metrics(), data, ZoneFreshness.always())) {
            SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.boundPort()));
            r.setTimeout(Duration.ofSeconds(3));
            r.send(Message.newQuery(Record.newRecord(Name.fromString("1.2.0.192.bl.trustbl.test."), Type.A, DClass.IN)));
            r.send(Message.newQuery(Record.newRecord(Name.fromString("9.9.9.9.bl.trustbl.test."), Type.A, DClass.IN)));
            Eventually.within(Duration.ofSeconds(2), () -> server.metrics().queries() >= 2);
            HttpResponse<String> res = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ep.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
            assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String body = res.body();
            assertTrue(body.contains("trustbl_dns_queries_total{type=\"A\"} 2\n"), body);
            assertTrue(body.contains("trustbl_dns_responses_total{rcode=\"NOERROR\"} 1\n"), body);
            assertTrue(body.contains("trustbl_dns_responses_total{rcode=\"NXDOMAIN\"} 1\n"), body);
            assertTrue(body.contains("trustbl_dns_listed_hits_total 1\n"), body);
            assertTrue(body.contains("trustbl_dns_rrl_drops_total 0\n"), body);
            assertTrue(body.contains("trustbl_dns_dropped_total 0\n"), body);
            assertTrue(body.contains("# TYPE trustbl_dns_latency_seconds histogram\n"), body);
            assertTrue(body.contains("trustbl_dns_latency_seconds_bucket{le=\"0.000005\"} "), body);
            assertTrue(body.contains("trustbl_dns_latency_seconds_bucket{le=\"+Inf\"} 2\n"), body);
            assertTrue(body.contains("trustbl_dns_latency_seconds_count 2\n"), body);
            assertTrue(body.contains("trustbl_dns_zone_serial 7\n"), body);
        }
    }
}
