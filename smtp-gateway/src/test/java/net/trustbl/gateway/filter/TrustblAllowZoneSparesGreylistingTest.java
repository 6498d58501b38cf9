package net.trustbl.gateway.filter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.support.FakeDns;
import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.stats.GatewayStats;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * By default the gateway asks TrustBL's own allow zone (wl.trustbl.test, 127.0.10.x) as a DNSWL
 * with weight -2 for the codes someone vouches for (1: established members, 3: a moderator): such a
 * sender is not greylisted, and the allow zone failing never defers mail. Code 2 (a clean record of
 * lookups, which anyone can manufacture for an address of their own) is not weighted by default.
 */
class TrustblAllowZoneSparesGreylistingTest {

    static FakeDns dns;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        dns = new FakeDns();
        vertx = Vertx.vertx();
        dns.a.put("2.0.0.127.wl.trustbl.test", new String[] {"127.0.10.2"}); // RFC 5782 test point
        dns.a.put("5.100.51.198.wl.trustbl.test", new String[] {"127.0.10.1"}); // vouched by established members
        dns.silent.put("7.100.51.198.wl.trustbl.test", true); // the allow zone does not answer
        dns.a.put("8.100.51.198.wl.trustbl.test", new String[] {"127.0.10.2"}); // long clean record: lookups only
        dns.a.put("9.100.51.198.wl.trustbl.test", new String[] {"127.0.10.3"}); // a moderator's decision
    }

    @AfterAll
    static void stop() throws Exception {
        TestConfigs.stop(dns, vertx);
    }

    static GatewayConfig config(String... more) {
        String[] all = java.util.Arrays.copyOf(more, more.length + 2);
        all[more.length] = "gateway.dnsbl.timeout";
        all[more.length + 1] = "300ms";
        return TestConfigs.gatewayResolvingWith(dns, all);
    }

    /** Runs on a Vert.x context, as the SMTP session does. */
    static <T> T await(java.util.concurrent.Callable<Future<T>> call) throws Exception {
        Future<T> f = vertx.getOrCreateContext().<Future<T>>executeBlocking(call).compose(x -> x);
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static Transaction connect(DnsblFilter dnsbl, String ip) throws Exception {
        Transaction tx = new Transaction(InetAddress.getByName(ip));
        tx.mailFrom = "a@example.org";
        tx.rcpt = "b@example.net";
        assertEquals(Verdict.CONTINUE, await(() -> dnsbl.check(Stage.CONNECT, tx)));
        return tx;
    }

    @Test
    void aClientInTrustblsAllowZoneSkipsGreylistingByDefault() throws Exception {
        GatewayConfig c = config();
        assertEquals("wl.trustbl.test=127.0.10.[1;3]*-2", c.dnsbl().sites());
        DnsblFilter dnsbl = new DnsblFilter(vertx, new DnsLookup(vertx, c), c, new GatewayStats(new SimpleMeterRegistry()));
        await(dnsbl::probe);
        assertEquals("ok", dnsbl.siteStatus().get("wl.trustbl.test"));
        GreylistFilter greylist = new GreylistFilter(vertx, null, c); // no store: a spared client never reaches it

        Transaction trusted = connect(dnsbl, "198.51.100.5");
        assertEquals(-2, trusted.dnsblScore);
        assertTrue(greylist.spared(trusted));
        assertEquals(Verdict.CONTINUE, await(() -> greylist.check(Stage.RCPT, trusted)));

        Transaction stranger = connect(dnsbl, "198.51.100.6");
        assertEquals(0, stranger.dnsblScore);
        assertFalse(greylist.spared(stranger), "a client the allow zone does not know is greylisted");
    }

    @Test
    void aCleanRecordOfLookupsAloneDoesNotSpareGreylistingByDefault() throws Exception {
        GatewayConfig c = config();
        DnsblFilter dnsbl = new DnsblFilter(vertx, new DnsLookup(vertx, c), c, new GatewayStats(new SimpleMeterRegistry()));
        await(dnsbl::probe);
        assertEquals("ok", dnsbl.siteStatus().get("wl.trustbl.test"), "the RFC 5782 test point (127.0.10.2) still proves the zone alive");
        GreylistFilter greylist = new GreylistFilter(vertx, null, c);
        // anyone can make 127.0.10.2 for an address by querying it twice a day for a week
        Transaction lookedUp = connect(dnsbl, "198.51.100.8");
        assertEquals(0, lookedUp.dnsblScore, "127.0.10.2 carries no weight by default");
        assertFalse(greylist.spared(lookedUp));
        Transaction moderated = connect(dnsbl, "198.51.100.9");
        assertEquals(-2, moderated.dnsblScore, "127.0.10.3: a moderator found it legitimate");
        assertTrue(greylist.spared(moderated));
    }

    @Test
    void theAllowZoneFailingNeverDefersMail() throws Exception {
        GatewayConfig c = config();
        DnsblFilter dnsbl = new DnsblFilter(vertx, new DnsLookup(vertx, c), c, new GatewayStats(new SimpleMeterRegistry()));
        Transaction tx = connect(dnsbl, "198.51.100.7");
        assertFalse(tx.dnsblFailed, "only a failed list with a positive weight could hide a listing");
        assertEquals(Verdict.CONTINUE, await(() -> dnsbl.check(Stage.RCPT, tx)));
    }

    @Test
    void noneTurnsTheDefaultOff() throws Exception {
        GatewayConfig c = config("gateway.dnsbl.sites", "none");
        DnsblFilter dnsbl = new DnsblFilter(vertx, new DnsLookup(vertx, c), c, new GatewayStats(new SimpleMeterRegistry()));
        assertTrue(dnsbl.siteStatus().isEmpty());
        assertNull(connect(dnsbl, "198.51.100.5").dnsblScore);
    }
}
