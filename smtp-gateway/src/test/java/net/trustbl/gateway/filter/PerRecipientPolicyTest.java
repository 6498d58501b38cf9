package net.trustbl.gateway.filter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.stats.GatewayStats;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A site's VIP receives from a network the rest of the site refuses; a recipient refuses what the site accepts. */
class PerRecipientPolicyTest {

    static GatewayConfig config(String... keyValues) {
        return TestConfigs.gateway(keyValues);
    }

    static final GatewayConfig SITE = config(
            "gateway.deny.ips", "198.51.100.0/24",
            "gateway.recipients.policies.vip.recipients", "ceo@site.test",
            "gateway.recipients.policies.vip.allow-ips", "198.51.100.0/24",
            "gateway.recipients.policies.vip.skip-filters", "content",
            "gateway.recipients.policies.strict.recipients", "*@strict.test",
            "gateway.recipients.policies.strict.deny-ips", "203.0.113.0/24",
            "gateway.recipients.policies.strict.deny-sender-domains", "*.spammy.test");

    static Transaction rcpt(Transaction tx, String rcpt, String policy) {
        tx.rcpt = rcpt;
        tx.rcptPolicy = policy;
        return tx;
    }

    @Test
    void theVipReceivesFromANetworkTheSiteRefusesAndNobodyElseDoes() throws Exception {
        AllowDenyFilter f = new AllowDenyFilter(SITE);
        Transaction tx = new Transaction(InetAddress.getByName("198.51.100.5"));
        assertEquals(Verdict.Kind.CONTINUE, f.decide(Stage.CONNECT, tx).kind(), "not refused at connect: a policy allows it");
        assertTrue(tx.deniedIpUnlessPolicy);
        Verdict other = f.decide(Stage.RCPT, rcpt(tx, "staff@site.test", "default"));
        assertEquals(Verdict.Kind.REJECT, other.kind());
        assertEquals("5.7.1", other.status());
        assertEquals(Verdict.Kind.CONTINUE, f.decide(Stage.RCPT, rcpt(tx, "ceo@site.test", "vip")).kind());
        assertTrue(tx.allowListed(), "the VIP's allow list skips DNSBL and greylisting for this recipient");

        AllowDenyFilter noVip = new AllowDenyFilter(config("gateway.deny.ips", "198.51.100.0/24"));
        assertEquals(Verdict.Kind.DISCONNECT, noVip.decide(Stage.CONNECT, new Transaction(InetAddress.getByName("198.51.100.5"))).kind(),
                "without a policy exception the site still refuses at connect");
    }

    @Test
    void aStrictRecipientRefusesClientsAndSenderDomainsTheSiteAccepts() throws Exception {
        AllowDenyFilter f = new AllowDenyFilter(SITE);
        Transaction tx = new Transaction(InetAddress.getByName("203.0.113.9"));
        assertEquals(Verdict.Kind.CONTINUE, f.decide(Stage.CONNECT, tx).kind());
        assertEquals(Verdict.Kind.CONTINUE, f.decide(Stage.RCPT, rcpt(tx, "staff@site.test", "default")).kind());
        assertEquals(Verdict.Kind.REJECT, f.decide(Stage.RCPT, rcpt(tx, "boss@strict.test", "strict")).kind());

        Transaction spammy = new Transaction(InetAddress.getByName("192.0.2.1"));
        spammy.mailFrom = "news@mail.spammy.test";
        assertEquals(Verdict.Kind.REJECT, f.decide(Stage.RCPT, rcpt(spammy, "boss@strict.test", "strict")).kind());
        assertEquals(Verdict.Kind.CONTINUE, f.decide(Stage.RCPT, rcpt(spammy, "staff@site.test", "default")).kind());
        assertFalse(spammy.allowListed());
    }

    @Test
    void aPolicyCanSkipFiltersForItsRecipients() throws Exception {
        Filter content = new Filter() {
            public String name() {
                return "content";
            }

            public Set<Stage> stages() {
                return EnumSet.of(Stage.END_OF_DATA);
            }

            public Future<Verdict> check(Stage stage, Transaction tx) {
                return Future.succeededFuture(Verdict.reject(550, "5.7.1", "content"));
            }
        };
        FilterChain chain = new FilterChain(List.of(content), new GatewayStats(new SimpleMeterRegistry()), Map.of("vip", Set.of("content")));
        Transaction tx = new Transaction(InetAddress.getByName("192.0.2.1"));
        tx.policy = "vip";
        assertEquals(Verdict.Kind.CONTINUE, chain.run(Stage.END_OF_DATA, tx).result().kind());
        tx.policy = "default";
        assertEquals(Verdict.Kind.REJECT, chain.run(Stage.END_OF_DATA, tx).result().kind());
    }
}
