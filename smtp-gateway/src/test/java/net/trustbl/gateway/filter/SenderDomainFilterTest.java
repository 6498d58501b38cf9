package net.trustbl.gateway.filter;

import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.support.FakeDns;
import net.trustbl.gateway.support.FilterFixture;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static net.trustbl.gateway.support.FilterCalls.client;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The MAIL FROM domain must have an MX or an A record; DNS trouble, bounces and literals pass. */
class SenderDomainFilterTest {

    @RegisterExtension
    static final FilterFixture env = FilterFixture.withDns();
    static SenderDomainFilter filter;

    @BeforeAll
    static void start() {
        FakeDns dns = env.dns();
        dns.mx.put("mx-only.test", "mail.elsewhere.test");
        dns.a.put("a-only.test", new String[] {"192.0.2.10"});
        filter = filter();
    }

    static SenderDomainFilter filter(String... keyValues) {
        GatewayConfig c = env.config(keyValues);
        DnsLookup lookup = new DnsLookup(env.vertx(), c);
        lookup.setTimeout(java.time.Duration.ofMillis(300));
        return new SenderDomainFilter(lookup, c);
    }

    static Verdict from(SenderDomainFilter f, String sender) throws Exception {
        return from(f, sender, client("192.0.2.1"));
    }

    static Verdict from(SenderDomainFilter f, String sender, Transaction tx) throws Exception {
        tx.mailFrom = sender;
        return env.run(f, Stage.MAIL, tx);
    }

    static Verdict noRecord(String domain) {
        return Verdict.reject(550, "5.1.8", "Sender address rejected: domain " + domain + " has no MX or A record");
    }

    @Test
    void aDomainWithAnMxOrAnARecordPasses() throws Exception {
        assertEquals(Verdict.CONTINUE, from(filter, "alice@mx-only.test"));
        assertEquals(Verdict.CONTINUE, from(filter, "alice@a-only.test"), "an A record is enough (RFC 5321 implicit MX)");
    }

    @Test
    void aDomainWithNeitherIsRefusedNamingIt() throws Exception {
        assertEquals(noRecord("nowhere.test"), from(filter, "alice@nowhere.test"));
        assertEquals(noRecord("nowhere.test"), from(filter, "Alice@NoWhere.TEST"), "named as looked up, in lower case");
    }

    @Test
    void aResolverThatDoesNotAnswerNeverRefusesMail() throws Exception {
        assertEquals(Verdict.CONTINUE, from(filter, "alice@dnsfail.test"));
    }

    @Test
    void bouncesAndAddressLiteralsHaveNoDomainToAskFor() throws Exception {
        int asked = env.dns().queries.get();
        assertEquals(Verdict.CONTINUE, from(filter, ""));
        assertEquals(Verdict.CONTINUE, from(filter, "alice@[192.0.2.99]"));
        assertEquals(asked, env.dns().queries.get(), "nothing was looked up");
    }

    @Test
    void onlyAnIpAllowListedClientSkipsTheCheck() throws Exception {
        Transaction relay = client("192.0.2.1");
        relay.allowListedIp = true;
        assertEquals(Verdict.CONTINUE, from(filter, "alice@nowhere.test", relay), "a trusted relay");
        Transaction spoofable = client("192.0.2.1");
        spoofable.allowListedHelo = true;
        spoofable.allowListedSender = true;
        assertEquals(noRecord("nowhere.test"), from(filter, "alice@nowhere.test", spoofable),
                "HELO and sender allow entries are the client's to claim");
    }

    @Test
    void theCheckCanBeSwitchedOff() throws Exception {
        assertEquals(Verdict.CONTINUE, from(filter("gateway.sender-domain.enabled", "false"), "alice@nowhere.test"));
    }
}
