package net.trustbl.responder;

import net.trustbl.testing.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The volume signal cannot be inflated by one client (issue 12): lookups reach the engine counted
 * once per client network (IPv4 /24) per interval, so a flood of queries from one client leaves an
 * address's listing threshold where it was, while many networks asking still count one each.
 */
@QuarkusTest
class LookupVolumeTest {

    @Inject
    DnsResponderHost dns;

    private byte[] query(String ip) throws Exception {
        String[] o = ip.split("\\.");
        String name = o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".bl.trustbl.test.";
        return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)).toWire();
    }

    /** Sends {@code count} queries from {@code from}, at most 32 in flight; returns how many were answered. */
    private int ask(byte[] q, InetAddress from, int count) throws Exception {
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", dns.boundPort());
        int answered = 0;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0))) {
            s.setSoTimeout(1000);
            DatagramPacket out = new DatagramPacket(q, q.length, to);
            DatagramPacket in = new DatagramPacket(new byte[512], 512);
            for (int sent = 0; sent < count; sent += 32) {
                int burst = Math.min(32, count - sent);
                for (int k = 0; k < burst; k++) {
                    s.send(out);
                }
                for (int k = 0; k < burst; k++) {
                    try {
                        s.receive(in);
                        answered++;
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                }
            }
        }
        return answered;
    }

    /** Hands the responder's counts to the journal and waits until the lookup API shows them. */
    private JsonPath lookupAfterDrain(String ip, long expectedLookups) throws Exception {
        dns.drainTraffic();
        JsonPath[] view = {null};
        Eventually.within(java.time.Duration.ofSeconds(10), () -> (view[0] = given().get("/api/v1/lookup/" + ip)
                .then().statusCode(200).extract().jsonPath()).getLong("evidence.lookups") >= expectedLookups);
        return view[0];
    }

    @Test
    void sixtyThousandQueriesFromOneClientCountOnceAndLeaveTheThresholdAtOne() throws Exception {
        String ip = Api.freshIp();
        int answered = ask(query(ip), InetAddress.getByName("127.0.0.1"), 60_000);
        assertTrue(answered > 59_000, "answered " + answered);
        JsonPath view = lookupAfterDrain(ip, 1);
        assertEquals(1L, view.getLong("evidence.lookups"));
        assertEquals(1.0, view.getDouble("threshold"), 1e-9);
    }

    @Test
    void queriesFromThreeHundredClientNetworksCountThreeHundred() throws Exception {
        String ip = Api.freshIp();
        byte[] q = query(ip);
        for (int i = 0; i < 300; i++) {
            // Linux routes all of 127/8 to lo: each source is a client of its own /24
            InetAddress from = InetAddress.getByName("127." + (i / 250 + 1) + "." + (i % 250) + ".1");
            assertEquals(2, ask(q, from, 2));
        }
        JsonPath view = lookupAfterDrain(ip, 300);
        assertEquals(300L, view.getLong("evidence.lookups"));
        assertEquals(1.0, view.getDouble("threshold"), 1e-9, "300 lookups are far below the volume that raises the bar");
    }
}
