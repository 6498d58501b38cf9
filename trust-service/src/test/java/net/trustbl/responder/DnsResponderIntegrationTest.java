package net.trustbl.responder;

import io.quarkus.test.junit.QuarkusTest;
import net.trustbl.support.LoadScaledBound;
import io.restassured.http.ContentType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import net.trustbl.support.DnsQueries;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-process DNS responder follows the engine's decisions within a second. */
@QuarkusTest
class DnsResponderIntegrationTest {

    @Inject
    DnsResponderHost dns;

    @Inject
    MeterRegistry registry;

    @Inject
    net.trustbl.member.AccountService accounts;

    private Message ask(String name, int type) throws Exception {
        return DnsQueries.ask(dns.boundPort(), name, type);
    }

    private static String reversed(String ip) {
        return DnsQueries.reversed(ip);
    }

    @Test
    void theServiceAnswersUdpThroughTheBatchedFixedBufferPath() {
        // udp-io=auto: the handles into Netty's native package resolve under Quarkus's class loading too
        assertTrue(dns.udpDescription().startsWith("mmsg"), dns.udpDescription());
    }

    @Test
    void aListingIsAnsweredInDnsWithinOneSecondOfTheSecondReport() throws Exception {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();
        String name = reversed(ip) + ".bl.trustbl.test.";
        assertEquals(Rcode.NXDOMAIN, ask(name, Type.A).getRcode());

        Api.report(a.key(), ip, "spam").then().statusCode(202);
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        long acked = System.nanoTime();
        Message m;
        do {
            m = ask(name, Type.A);
        } while (m.getRcode() != Rcode.NOERROR && System.nanoTime() - acked < 2_000_000_000L);
        long millis = (System.nanoTime() - acked) / 1_000_000;
        assertEquals(Rcode.NOERROR, m.getRcode());
        long bound = LoadScaledBound.millis(1000);
        assertTrue(millis < bound, LoadScaledBound.describe("visible in DNS", millis, bound));
        List<Record> answers = m.getSection(Section.ANSWER);
        assertEquals("127.0.0.2", ((ARecord) answers.get(0)).getAddress().getHostAddress());

        Message txt = ask(name, Type.TXT);
        String text = String.join("", ((TXTRecord) txt.getSection(Section.ANSWER).get(0)).getStrings());
        assertTrue(text.contains("/lookup/" + ip), text);
    }

    @Test
    void personalRulesAreServedUnderTheMembersQueryKey() throws Exception {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        String denied = Api.freshIp();
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON)
                .body(Map.of("deny", List.of(denied), "allow", List.of("127.0.0.2")))
                .put("/api/v1/rules").then().statusCode(200);
        Message personal = ask(reversed(denied) + "." + m.queryKey() + ".bl.trustbl.test.", Type.A);
        assertEquals(Rcode.NOERROR, personal.getRcode());
        assertEquals("127.0.0.4", ((ARecord) personal.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        // the same address is not listed for everyone else
        assertEquals(Rcode.NXDOMAIN, ask(reversed(denied) + ".bl.trustbl.test.", Type.A).getRcode());
        assertEquals(Rcode.REFUSED, ask(reversed(denied) + ".nosuchkey0.bl.trustbl.test.", Type.A).getRcode());
    }

    @Test
    void rfc5782PointsAndTheRbldnsdExport() throws Exception {
        assertEquals(Rcode.NOERROR, ask("2.0.0.127.bl.trustbl.test.", Type.A).getRcode());
        assertEquals(Rcode.NXDOMAIN, ask("1.0.0.127.bl.trustbl.test.", Type.A).getRcode());
        given().get("/api/v1/export/rbldnsd/ip4set").then().statusCode(200)
                .body(containsString("127.0.0.2"));
        given().get("/api/v1/export/rbldnsd/bogus").then().statusCode(422);
    }

    @Test
    void metricsExportALatencyHistogramAndDropAndAclCounters() throws Exception {
        for (int i = 0; i < 5; i++) {
            ask("9.9.9.9.bl.trustbl.test.", Type.A);
        }
        Timer t = dns.latencyTimer();
        assertTrue(t.count() >= 5, "latency samples " + t.count());
        CountAtBucket[] buckets = t.takeSnapshot().histogramCounts();
        assertEquals(10, buckets.length, "one bucket per responder bound");
        assertTrue(buckets[buckets.length - 1].count() >= 5);
        assertTrue(registry.find("trustbl.dns.dropped").functionCounter() != null);
        assertTrue(registry.find("trustbl.dns.acl.refused").functionCounter() != null);
        assertTrue(registry.find("trustbl.dns.responses").tag("rcode", "NXDOMAIN").functionCounter().count() >= 5);
    }
}
