package net.trustbl.gateway.filter;

import io.vertx.core.Vertx;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Greylisting never delays big senders' pools, DNSWL-vouched clients, or one mail retried with a new envelope tag. */
class GreylistSparesGoodSendersTest {

    @TempDir
    Path dir;

    static GatewayConfig config(String... keyValues) {
        return TestConfigs.gateway(keyValues);
    }

    static Transaction tx(String ip) throws Exception {
        return new Transaction(InetAddress.getByName(ip));
    }

    @Test
    void theSameMailRetriedWithNewTagsIsOneTriplet() {
        assertEquals("alice@example.org", SenderNormalizer.normalize("prvs=1234abcd56=alice@example.org"));
        assertEquals("alice@example.org", SenderNormalizer.normalize("PRVS=0123456789=Alice@Example.ORG"));
        assertEquals("alice@example.org", SenderNormalizer.normalize("SRS0=HHH=TT=example.org=alice@forwarder.net"));
        assertEquals("alice@example.org", SenderNormalizer.normalize("SRS1=XXX=relay.net==HHH=TT=example.org=alice@forwarder.net"));
        assertEquals("list-bounces@lists.example.org", SenderNormalizer.normalize("list-bounces+bob=example.com@lists.example.org"));
        assertEquals(SenderNormalizer.normalize("bounce-4711-12@news.example.org"), SenderNormalizer.normalize("bounce-4712-99@news.example.org"));
        assertEquals("<>", SenderNormalizer.normalize(""));
        assertEquals("<>", SenderNormalizer.normalize(null));
        assertEquals("bob@example.org", SenderNormalizer.normalize("bob@example.org"));
    }

    @Test
    void bigSendersPoolsAndDnswlVouchedClientsAreSpared() throws Exception {
        GreylistFilter f = new GreylistFilter(Vertx.vertx(), null, config());
        assertTrue(f.spared(tx("209.85.220.41")), "Google's outbound pool");
        assertTrue(f.spared(tx("40.107.22.50")), "Microsoft 365");
        assertTrue(f.spared(tx("2a00:1450:4864:20::32f")), "Google over IPv6");
        assertFalse(f.spared(tx("198.51.100.7")), "a stranger is greylisted");
        Transaction vouched = tx("198.51.100.8");
        vouched.dnsblScore = -2;
        assertTrue(f.spared(vouched), "a DNSWL hit (negative weight) skips greylisting");
        Transaction neutral = tx("198.51.100.9");
        neutral.dnsblScore = 0;
        assertFalse(f.spared(neutral));

        GreylistFilter noList = new GreylistFilter(Vertx.vertx(), null, config("gateway.greylist.skip-known-senders", "false"));
        assertFalse(noList.spared(tx("209.85.220.41")), "the shipped list can be switched off");
    }

    @Test
    void theOperatorsOwnListIsReadAndABadLineStopsStartUpWithItsNumber() throws Exception {
        Path file = dir.resolve("senders.txt");
        Files.writeString(file, "# our partners\n192.0.2.0/24\n2001:db8::/32 # v6\n");
        GreylistFilter f = new GreylistFilter(Vertx.vertx(), null, config("gateway.greylist.known-senders-file", file.toString()));
        assertTrue(f.spared(tx("192.0.2.77")));
        assertTrue(f.spared(tx("2001:db8::1")));
        Files.writeString(file, "192.0.2.0/24\nmail.example.org\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GreylistFilter(Vertx.vertx(), null, config("gateway.greylist.known-senders-file", file.toString())));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
