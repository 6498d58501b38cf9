package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.support.FakeDns;
import net.trustbl.gateway.transaction.Transaction;
import net.trustbl.testing.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPF, forward-confirmed reverse DNS and HELO checks against a DNS server on loopback, for each action. */
class ClientChecksTest {

    static FakeDns dns;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        dns = new FakeDns();
        vertx = Vertx.vertx();
        // 192.0.2.10 is mail.good.test and back; 192.0.2.11 claims liar.test, which points elsewhere
        dns.ptr.put("10.2.0.192.in-addr.arpa", "mail.good.test");
        dns.a.put("mail.good.test", new String[] {"192.0.2.10"});
        dns.ptr.put("11.2.0.192.in-addr.arpa", "liar.test");
        dns.a.put("liar.test", new String[] {"198.51.100.1"});
        dns.mx.put("mx-only.test", "mail.good.test");
        dns.txt.put("good.test", "v=spf1 ip4:192.0.2.10 -all");
        dns.txt.put("soft.test", "v=spf1 ip4:192.0.2.10 ~all");
        dns.txt.put("v6.test", "v=spf1 ip6:2001:db8:7::/64 -all");
    }

    @AfterAll
    static void stop() throws Exception {
        TestConfigs.stop(dns, vertx);
    }

    static GatewayConfig config(String... keyValues) {
        String[] all = java.util.Arrays.copyOf(keyValues, keyValues.length + 2);
        all[keyValues.length] = "gateway.hostname";
        all[keyValues.length + 1] = "gw.test";
        return TestConfigs.gatewayResolvingWith(dns, all);
    }

    static Transaction tx(String ip, String helo, String from) throws Exception {
        Transaction tx = new Transaction(InetAddress.getByName(ip));
        tx.helo = helo;
        tx.mailFrom = from;
        return tx;
    }

    static Verdict run(Filter f, Transaction tx) throws Exception {
        Future<Verdict> v = vertx.getOrCreateContext().<Future<Verdict>>executeBlocking(() -> f.check(Stage.MAIL, tx)).compose(x -> x);
        return v.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Starts a check on an event loop as the session does, without waiting for it. */
    static java.util.concurrent.CompletableFuture<Verdict> start(Filter f, Transaction tx) {
        return vertx.getOrCreateContext().<Future<Verdict>>executeBlocking(() -> f.check(Stage.MAIL, tx)).compose(x -> x)
                .toCompletionStage().toCompletableFuture();
    }

    @Test
    void fcrdnsPassesAConfirmedNameRefusesAMismatchAndNeverRefusesOnDnsTrouble() throws Exception {
        GatewayConfig c = config("gateway.client-checks.fcrdns", "reject");
        FcrdnsFilter f = new FcrdnsFilter(new DnsLookup(vertx, c), c);
        Transaction good = tx("192.0.2.10", "mail.good.test", "a@good.test");
        assertEquals(Verdict.Kind.CONTINUE, run(f, good).kind());
        assertTrue(good.addedHeaders.contains("Authentication-Results: gw.test; iprev=pass policy.iprev=192.0.2.10 (mail.good.test)"),
                good.addedHeaders.toString());
        Verdict liar = run(f, tx("192.0.2.11", "x.test", "a@b.test"));
        assertEquals(Verdict.Kind.REJECT, liar.kind());
        assertEquals("5.7.25", liar.status());
        assertTrue(liar.text().contains("liar.test does not resolve back to 192.0.2.11"), liar.text());
        assertEquals(Verdict.Kind.REJECT, run(f, tx("192.0.2.12", "x.test", "a@b.test")).kind(), "no PTR at all");
        dns.silent.put("13.2.0.192.in-addr.arpa", true);
        assertEquals(Verdict.Kind.CONTINUE, run(f, tx("192.0.2.13", "x.test", "a@b.test")).kind(), "a DNS timeout never refuses");

        GatewayConfig deferring = config("gateway.client-checks.fcrdns", "defer");
        assertEquals(450, run(new FcrdnsFilter(new DnsLookup(vertx, deferring), deferring), tx("192.0.2.11", "x", "a@b.test")).code());
        GatewayConfig tagging = config("gateway.client-checks.fcrdns", "tag");
        Verdict tag = run(new FcrdnsFilter(new DnsLookup(vertx, tagging), tagging), tx("192.0.2.11", "x", "a@b.test"));
        assertEquals(Verdict.Kind.TAG, tag.kind());
        assertTrue(tag.header().contains("iprev=fail"), tag.header());
        GatewayConfig off = config();
        assertEquals(Verdict.CONTINUE, run(new FcrdnsFilter(new DnsLookup(vertx, off), off), tx("192.0.2.11", "x", "a@b.test")));
    }

    @Test
    void heloMustBeAResolvableFullyQualifiedName() throws Exception {
        GatewayConfig c = config("gateway.client-checks.helo-dns", "reject");
        HeloDnsFilter f = new HeloDnsFilter(new DnsLookup(vertx, c), c);
        assertEquals(Verdict.Kind.CONTINUE, run(f, tx("192.0.2.10", "mail.good.test", "a@good.test")).kind());
        assertEquals(Verdict.Kind.CONTINUE, run(f, tx("192.0.2.10", "mx-only.test", "a@good.test")).kind(), "an MX is enough");
        assertEquals(Verdict.Kind.CONTINUE, run(f, tx("192.0.2.10", "[192.0.2.10]", "a@good.test")).kind(), "literals: sanity's job");
        Verdict single = run(f, tx("192.0.2.10", "localhost", "a@good.test"));
        assertEquals(Verdict.Kind.REJECT, single.kind());
        assertTrue(single.text().contains("not a fully qualified"), single.text());
        Verdict unknown = run(f, tx("192.0.2.10", "nowhere.test", "a@good.test"));
        assertEquals(Verdict.Kind.REJECT, unknown.kind());
        assertTrue(unknown.text().contains("no A, AAAA or MX"), unknown.text());
        assertEquals(Verdict.Kind.CONTINUE, run(f, tx("192.0.2.10", "dnsfail.test", "a@good.test")).kind(), "DNS trouble never refuses");
    }

    @Test
    void spfFailIsRefusedWhenAskedAndEveryResultIsRecordedInHeaders() throws Exception {
        GatewayConfig c = config("gateway.client-checks.spf", "reject", "gateway.client-checks.spf-timeout", "15s");
        SpfFilter f = new SpfFilter(vertx, new DnsLookup(vertx, c), c);
        Transaction pass = tx("192.0.2.10", "mail.good.test", "a@good.test");
        assertEquals(Verdict.Kind.CONTINUE, run(f, pass).kind());
        String headers = String.join("\n", pass.addedHeaders);
        assertTrue(headers.startsWith("Received-SPF: pass"), headers);
        assertTrue(headers.contains("Authentication-Results: gw.test; spf=pass smtp.mailfrom=good.test"), headers);
        assertFalse(headers.contains("\n\n"));

        Verdict fail = run(f, tx("198.51.100.7", "x.test", "a@good.test"));
        assertEquals(Verdict.Kind.REJECT, fail.kind());
        assertEquals("5.7.23", fail.status());
        assertTrue(fail.text().contains("good.test does not allow 198.51.100.7"), fail.text());

        Transaction soft = tx("198.51.100.7", "x.test", "a@soft.test");
        assertEquals(Verdict.Kind.CONTINUE, run(f, soft).kind(), "softfail is recorded, never refused");
        assertTrue(String.join("\n", soft.addedHeaders).contains("spf=softfail"), soft.addedHeaders.toString());

        GatewayConfig tagging = config("gateway.client-checks.spf", "tag");
        Verdict tag = run(new SpfFilter(vertx, new DnsLookup(vertx, tagging), tagging), tx("198.51.100.7", "x.test", "a@good.test"));
        assertEquals(Verdict.Kind.TAG, tag.kind());
        assertTrue(tag.header().contains("spf=fail"), tag.header());
    }

    @Test
    void spfChecksThatOutliveTheirTimeoutAreGivenUpAndFreeTheirSlotAtTheDeadline() throws Exception {
        GatewayConfig c = config("gateway.client-checks.spf", "reject", "gateway.client-checks.spf-timeout", "300ms");
        SpfFilter f = new SpfFilter(vertx, new DnsLookup(vertx, c), c);
        // DNS that never answers: each check is given up after 300 ms (temperror, deferred, never
        // refused); its worker is interrupted then, instead of waiting for jSPF's 3 s resolver timeout
        java.util.List<java.util.concurrent.CompletableFuture<Verdict>> slow = new java.util.ArrayList<>();
        for (int i = 0; i < SpfFilter.MAX_RUNNING; i++) {
            slow.add(start(f, tx("192.0.2." + (100 + i), "x.test", "a@slow" + i + ".dnsfail.test")));
        }
        for (var v : slow) {
            Verdict given = v.get(20, TimeUnit.SECONDS);
            assertEquals(Verdict.Kind.TEMPFAIL, given.kind(), given.toString());
            assertEquals("4.4.3", given.status());
        }
        long givenUp = System.nanoTime();
        Eventually.awaitAsserted("a slot is free soon after the deadline", Duration.ofSeconds(20), () -> {
            Transaction checked = tx("192.0.2.10", "mail.good.test", "a@good.test");
            run(f, checked);
            assertTrue(String.join("\n", checked.addedHeaders).contains("spf=pass"), checked.addedHeaders.toString());
        });
        long millis = (System.nanoTime() - givenUp) / 1_000_000;
        assertTrue(millis < 2_000, "the slots came free " + millis + " ms after the deadline, not at jSPF's own 3 s DNS timeout");
    }

    @Test
    void whenEverySpfSlotIsBusyAFailingSenderIsDeferredNotPassedAsNeutral() throws Exception {
        GatewayConfig c = config("gateway.client-checks.spf", "reject", "gateway.client-checks.spf-timeout", "3s");
        SpfFilter f = new SpfFilter(vertx, new DnsLookup(vertx, c), c);
        // an attacker keeps every slot busy with slow SPF records, from a few addresses
        java.util.List<java.util.concurrent.CompletableFuture<Verdict>> slow = new java.util.ArrayList<>();
        for (int i = 0; i < SpfFilter.MAX_RUNNING; i++) {
            slow.add(start(f, tx("192.0.2." + (110 + i / SpfFilter.MAX_RUNNING_PER_CLIENT), "x.test", "a@busy" + i + ".dnsfail.test")));
        }
        Eventually.await("every slot taken", Duration.ofSeconds(10),
                () -> f.runningFor("192.0.2.110") + f.runningFor("192.0.2.111") + f.runningFor("192.0.2.112")
                        + f.runningFor("192.0.2.113") == SpfFilter.MAX_RUNNING);
        // meanwhile someone spoofs good.test (-all) from an address it does not allow
        long t0 = System.nanoTime();
        Verdict spoof = run(f, tx("198.51.100.7", "x.test", "ceo@good.test"));
        assertEquals(Verdict.Kind.TEMPFAIL, spoof.kind(), "never passed unchecked: " + spoof);
        assertEquals(451, spoof.code());
        assertEquals("4.4.3", spoof.status());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1_000, "answered at once, not after a wait");
        for (var v : slow) {
            v.get(20, TimeUnit.SECONDS);
        }

        GatewayConfig tagging = config("gateway.client-checks.spf", "tag", "gateway.client-checks.spf-timeout", "3s");
        SpfFilter t = new SpfFilter(vertx, new DnsLookup(vertx, tagging), tagging);
        for (int i = 0; i < SpfFilter.MAX_RUNNING; i++) {
            slow.set(i, start(t, tx("192.0.2." + (120 + i / SpfFilter.MAX_RUNNING_PER_CLIENT), "x.test", "a@tag" + i + ".dnsfail.test")));
        }
        Eventually.await("every slot taken", Duration.ofSeconds(10),
                () -> t.runningFor("192.0.2.120") + t.runningFor("192.0.2.121") + t.runningFor("192.0.2.122")
                        + t.runningFor("192.0.2.123") == SpfFilter.MAX_RUNNING);
        Transaction tagged = tx("192.0.2.10", "mail.good.test", "a@good.test");
        assertEquals(Verdict.Kind.CONTINUE, run(t, tagged).kind(), "with action tag nothing is refused");
        assertTrue(String.join("\n", tagged.addedHeaders).contains("spf=temperror"), "recorded as not checked: " + tagged.addedHeaders);
        for (var v : slow) {
            v.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void oneClientCannotHoldMoreThanItsShareOfTheSpfSlots() throws Exception {
        GatewayConfig c = config("gateway.client-checks.spf", "reject", "gateway.client-checks.spf-timeout", "3s");
        SpfFilter f = new SpfFilter(vertx, new DnsLookup(vertx, c), c);
        // an IPv6 client is its /64: new addresses in it are the same client
        java.util.List<java.util.concurrent.CompletableFuture<Verdict>> slow = new java.util.ArrayList<>();
        for (int i = 0; i < SpfFilter.MAX_RUNNING_PER_CLIENT; i++) {
            slow.add(start(f, tx("2001:db8:7::" + (i + 1), "x.test", "a@share" + i + ".dnsfail.test")));
        }
        Eventually.await("the client's share taken", Duration.ofSeconds(10),
                () -> f.runningFor("2001:db8:7:0::/64") == SpfFilter.MAX_RUNNING_PER_CLIENT);
        Verdict beyond = run(f, tx("2001:db8:7::99", "x.test", "a@v6.test"));
        assertEquals(Verdict.Kind.TEMPFAIL, beyond.kind(), "beyond its share the client waits, even for a record that would pass: " + beyond);
        assertEquals("4.4.3", beyond.status());
        Transaction other = tx("192.0.2.10", "mail.good.test", "a@good.test");
        assertEquals(Verdict.Kind.CONTINUE, run(f, other).kind(), "other clients still get slots");
        assertTrue(String.join("\n", other.addedHeaders).contains("spf=pass"), other.addedHeaders.toString());
        for (var v : slow) {
            v.get(20, TimeUnit.SECONDS);
        }
        // a verdict comes at the deadline; the slot frees when jSPF has returned on its worker, just
        // after (SpfFilter.Evaluation): wait for that, not for the verdicts only
        Eventually.await("the client's share freed", Duration.ofSeconds(10),
                () -> f.runningFor("2001:db8:7:0::/64") == 0);
        Transaction after = tx("2001:db8:7::99", "x.test", "a@v6.test");
        assertEquals(Verdict.Kind.CONTINUE, run(f, after).kind(), "its share is free again once its checks ended");
        assertTrue(String.join("\n", after.addedHeaders).contains("spf=pass"), after.addedHeaders.toString());
    }
}
