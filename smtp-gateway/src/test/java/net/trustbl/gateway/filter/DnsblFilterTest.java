package net.trustbl.gateway.filter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.stats.GatewayStats;
import net.trustbl.gateway.support.FakeDns;
import net.trustbl.gateway.support.FilterFixture;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static net.trustbl.gateway.support.FilterCalls.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNSBL scoring against a DNS server on loopback: bl.test weighs 2, soft.test 1; the default
 * threshold is 2, the strict policy's 1. Judged at RCPT with the list's TXT in the refusal.
 */
class DnsblFilterTest {

    @RegisterExtension
    static final FilterFixture env = FilterFixture.withDns();

    @BeforeAll
    static void fillDns() {
        FakeDns dns = env.dns();
        dns.a.put("5.2.0.192.bl.test", new String[] {"127.0.0.2"});
        dns.txt.put("5.2.0.192.bl.test", "Listed, see https://bl.test/ip/192.0.2.5");
        dns.a.put("6.2.0.192.soft.test", new String[] {"127.0.0.2"});
        dns.a.put("9.2.0.192.soft.test", new String[] {"127.255.255.254"}); // the list's error code, not a listing
        dns.silent.put("8.2.0.192.soft.test", true); // 192.0.2.8: soft.test does not answer, bl.test does not list
        dns.a.put("10.2.0.192.bl.test", new String[] {"127.0.0.2"}); // 192.0.2.10: listed while soft.test fails
        dns.silent.put("10.2.0.192.soft.test", true);
    }

    static DnsblFilter filter(String... more) {
        List<String> keyValues = new ArrayList<>(List.of(
                "gateway.dnsbl.sites", "bl.test=127.0.0.[2..11]*2, soft.test*1",
                "gateway.dnsbl.threshold", "2",
                "gateway.dnsbl.timeout", "300ms",
                "gateway.recipients.policies.strict.recipients", "*@strict.test",
                "gateway.recipients.policies.strict.dnsbl-threshold", "1"));
        keyValues.addAll(List.of(more));
        GatewayConfig c = env.config(keyValues.toArray(String[]::new));
        return new DnsblFilter(env.vertx(), new DnsLookup(env.vertx(), c), c, new GatewayStats(new SimpleMeterRegistry()));
    }

    /** The session's path: scored at connect, then judged for one recipient of the given policy. */
    static Verdict rcpt(DnsblFilter f, Transaction tx, String policy) throws Exception {
        tx.mailFrom = "a@example.org";
        tx.rcpt = "b@example.net";
        tx.rcptPolicy = policy;
        return env.run(f, Stage.RCPT, tx);
    }

    static Transaction connected(DnsblFilter f, String ip) throws Exception {
        Transaction tx = client(ip);
        assertEquals(Verdict.CONTINUE, env.run(f, Stage.CONNECT, tx), "greeted: judged at RCPT, where the bounce says why");
        return tx;
    }

    @Test
    void aListedClientIsRefusedAtRcptQuotingTheList() throws Exception {
        DnsblFilter f = filter();
        Transaction tx = connected(f, "192.0.2.5");
        assertEquals(2, tx.dnsblScore);
        assertEquals("bl.test", tx.dnsblReason);
        assertEquals(Verdict.reject(550, "5.7.1", "Client host [192.0.2.5] blocked using bl.test; Listed, see https://bl.test/ip/192.0.2.5"),
                rcpt(f, tx, "default"));
    }

    @Test
    void aCleanClientPassesEveryStage() throws Exception {
        DnsblFilter f = filter();
        Transaction tx = connected(f, "192.0.2.1");
        assertEquals(0, tx.dnsblScore);
        assertFalse(tx.dnsblFailed);
        assertEquals(Verdict.CONTINUE, rcpt(f, tx, "default"));
        assertEquals(Verdict.CONTINUE, env.run(f, Stage.END_OF_DATA, tx));
    }

    @Test
    void aScoreBelowTheThresholdPassesButAStricterPolicyRefusesIt() throws Exception {
        DnsblFilter f = filter();
        Transaction tx = connected(f, "192.0.2.6");
        assertEquals(1, tx.dnsblScore);
        assertEquals(Verdict.CONTINUE, rcpt(f, tx, "default"), "1 is below the threshold of 2");
        assertEquals(Verdict.reject(550, "5.7.1", "Client host [192.0.2.6] blocked using soft.test"), rcpt(f, tx, "strict"),
                "no TXT record: the refusal names the list only");
    }

    @Test
    void theTagThresholdMarksTheMessageAtTheEndOfData() throws Exception {
        DnsblFilter f = filter("gateway.dnsbl.tag-threshold", "1");
        Transaction tx = connected(f, "192.0.2.6");
        assertEquals(Verdict.CONTINUE, rcpt(f, tx, "default"));
        assertEquals(Verdict.tag("X-TrustBL-DNSBL: score=1 client=192.0.2.6 zone=soft.test", "[SPAM]"),
                env.run(f, Stage.END_OF_DATA, tx));
    }

    @Test
    void aFailedListDefersUnlessTheListsThatAnsweredAlreadyProveAListing() throws Exception {
        DnsblFilter f = filter();
        Transaction unknown = connected(f, "192.0.2.8");
        assertTrue(unknown.dnsblFailed);
        assertEquals(Verdict.tempfail(451, "4.4.3", "DNSBL lookup failed, try again later"), rcpt(f, unknown, "default"));

        Transaction listed = connected(f, "192.0.2.10");
        assertTrue(listed.dnsblFailed);
        assertEquals(550, rcpt(f, listed, "default").code(), "a zone that did not answer never hides another zone's listing");

        DnsblFilter failOpen = filter("gateway.dnsbl.fail-open", "true");
        assertEquals(Verdict.CONTINUE, rcpt(failOpen, connected(failOpen, "192.0.2.8"), "default"), "fail-open judges what answered");
    }

    @Test
    void anErrorCodeIsAFailedLookupNotAListing() throws Exception {
        DnsblFilter f = filter();
        Transaction tx = connected(f, "192.0.2.9");
        assertEquals(0, tx.dnsblScore, "127.255.255.254 is the list refusing to answer: it adds no weight");
        assertTrue(tx.dnsblFailed);
        assertEquals(Verdict.tempfail(451, "4.4.3", "DNSBL lookup failed, try again later"), rcpt(f, tx, "default"));
    }

    @Test
    void anAllowListedClientIsNotLookedUp() throws Exception {
        DnsblFilter f = filter();
        Transaction tx = client("192.0.2.5");
        tx.allowListedIp = true;
        int asked = env.dns().queries.get();
        assertEquals(Verdict.CONTINUE, env.run(f, Stage.CONNECT, tx));
        assertNull(tx.dnsblScore);
        assertEquals(asked, env.dns().queries.get(), "no DNS question for an allow-listed client");
        assertEquals(Verdict.CONTINUE, rcpt(f, tx, "default"));
    }

    @Test
    void rejectAtConnectDropsAClientEveryPolicyRefuses() throws Exception {
        DnsblFilter f = filter("gateway.dnsbl.reject-at-connect", "true");
        assertEquals(Verdict.disconnect(550, "5.7.1", "Client host [192.0.2.5] blocked using bl.test; Listed, see https://bl.test/ip/192.0.2.5"),
                env.run(f, Stage.CONNECT, client("192.0.2.5")));
        assertEquals(Verdict.CONTINUE, env.run(f, Stage.CONNECT, client("192.0.2.6")),
                "a score only the strict policy refuses is judged at RCPT");
    }
}
