package net.trustbl.responder;

import io.quarkus.test.junit.QuarkusTest;
import net.trustbl.support.LoadScaledBound;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import net.trustbl.support.DnsQueries;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;


import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trusted senders in the allow zone (wl.trustbl.test): vouched in by established members, out by a listing. */
@QuarkusTest
class AllowZoneIntegrationTest {

    @Inject
    DnsResponderHost dns;

    private Message ask(String name, int type) throws Exception {
        return DnsQueries.ask(dns.boundPort(), name, type);
    }

    /** Asks until the rcode is {@code want} or two seconds passed; returns the answer and how long it took. */
    private Message waitFor(String name, int want, long[] millis) throws Exception {
        long from = System.nanoTime();
        Message m;
        do {
            m = ask(name, Type.A);
        } while (m.getRcode() != want && System.nanoTime() - from < 2_000_000_000L);
        millis[0] = (System.nanoTime() - from) / 1_000_000;
        return m;
    }

    private static String reversed(String ip) {
        return DnsQueries.reversed(ip);
    }

    @Test
    void twoPinnedMembersPositiveReportsPutAnAddressInTheAllowZoneWithinOneSecondAndAListingTakesItOut() throws Exception {
        Api.Member a = pinned();
        Api.Member b = pinned();
        String ip = Api.freshIp();
        String name = reversed(ip) + ".wl.trustbl.test.";
        assertEquals(Rcode.NXDOMAIN, ask(name, Type.A).getRcode());

        Api.report(a.key(), ip, "trusted").then().statusCode(202);
        assertEquals(Rcode.NXDOMAIN, ask(name, Type.A).getRcode(), "one member's word is not enough");
        Api.report(b.key(), ip, "trusted").then().statusCode(202);
        long[] millis = {0};
        Message m = waitFor(name, Rcode.NOERROR, millis);
        assertEquals(Rcode.NOERROR, m.getRcode());
        long bound = LoadScaledBound.millis(1000);
        assertTrue(millis[0] < bound, LoadScaledBound.describe("in the allow zone", millis[0], bound));
        assertEquals("127.0.10.1", ((ARecord) m.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        String text = String.join("", ((TXTRecord) ask(name, Type.TXT).getSection(Section.ANSWER).get(0)).getStrings());
        assertTrue(text.contains("/lookup/" + ip), text);
        assertEquals(Rcode.NXDOMAIN, ask(reversed(ip) + ".bl.trustbl.test.", Type.A).getRcode(), "and not listed");
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("trusted.returnCode", equalTo("127.0.10.1"))
                .body("trusted.reason", containsString("established members"));
        given().get("/lookup/" + ip).then().statusCode(200)
                .body(containsString("is a trusted sender")).body(containsString("127.0.10.1"));
        given().get("/api/v1/export/rbldnsd/allow/ip4set").then().statusCode(200)
                .body(containsString(ip + " :127.0.10.1:"));

        Api.Member c = pinned();
        Api.Member d = pinned();
        Api.report(c.key(), ip, "spam").then().statusCode(202);
        Api.report(d.key(), ip, "spam").then().statusCode(202);
        m = waitFor(name, Rcode.NXDOMAIN, millis);
        assertEquals(Rcode.NXDOMAIN, m.getRcode(), "a listing removes it from the allow zone");
        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("listed", equalTo(true))
                .body("trusted", nullValue());
    }

    @Test
    void theAllowZoneAnswersTheRfc5782TestPointAndItsSoa() throws Exception {
        Message m = ask("2.0.0.127.wl.trustbl.test.", Type.A);
        assertEquals("127.0.10.2", ((ARecord) m.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        assertEquals(Rcode.NOERROR, ask("wl.trustbl.test.", Type.SOA).getRcode());
    }

    private static Api.Member pinned() {
        Api.Member m = Api.newMember();
        Api.pinTrust(m.id(), 0.6);
        return m;
    }
}
