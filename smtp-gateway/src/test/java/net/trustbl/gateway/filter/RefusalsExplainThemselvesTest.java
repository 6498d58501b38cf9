package net.trustbl.gateway.filter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import net.trustbl.gateway.stats.GatewayStats;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal names its reason, the check, the session id and where to learn more; the console finds it again. */
class RefusalsExplainThemselvesTest {

    static Filter refusing(String name, Verdict v) {
        return new Filter() {
            public String name() {
                return name;
            }

            public Set<Stage> stages() {
                return EnumSet.of(Stage.RCPT);
            }

            public Future<Verdict> check(Stage stage, Transaction tx) {
                return Future.succeededFuture(v);
            }
        };
    }

    @Test
    void aRefusalCarriesReasonCheckSessionAndContactAndIsFoundByAnyOfItsFacts() throws Exception {
        GatewayStats stats = new GatewayStats(new SimpleMeterRegistry());
        FilterChain chain = new FilterChain(List.of(refusing("greylist", Verdict.tempfail(451, "4.7.1", "Greylisted, please try again in 300 seconds"))),
                stats, Map.of(), "https://mail.example.org/refused");
        Transaction tx = new Transaction(InetAddress.getByName("192.0.2.44"));
        tx.sessionId = "LKJ3H2G1ABCD";
        tx.mailFrom = "news@sender.example";
        tx.rcpt = "alice@example.org";
        Verdict v = chain.run(Stage.RCPT, tx).result();
        assertEquals(451, v.code());
        assertEquals("Greylisted, please try again in 300 seconds (greylist, session LKJ3H2G1ABCD; https://mail.example.org/refused)", v.text());

        for (String q : List.of("lkj3h2g1abcd", "192.0.2.44", "sender.example", "alice@example.org")) {
            List<GatewayStats.Rejection> found = stats.findRejections(q);
            assertEquals(1, found.size(), q);
            assertEquals("LKJ3H2G1ABCD", found.get(0).session());
            assertTrue(found.get(0).reply().contains("session LKJ3H2G1ABCD"));
        }
        assertTrue(stats.findRejections("nobody@else.example").isEmpty());
    }

    @Test
    void aLongReasonIsCutSoTheReplyStaysALegalSmtpLine() throws Exception {
        FilterChain chain = new FilterChain(List.of(refusing("content", Verdict.reject(550, "5.7.1", "x".repeat(2000)))),
                new GatewayStats(new SimpleMeterRegistry()), Map.of(), null);
        Transaction tx = new Transaction(InetAddress.getByName("192.0.2.45"));
        tx.sessionId = "S1";
        Verdict v = chain.run(Stage.RCPT, tx).result();
        assertTrue(v.text().endsWith("... (content, session S1)"), v.text());
        assertTrue(("550 5.7.1 " + v.text() + "\r\n").length() <= 512, "RFC 5321 reply line limit");
    }

    @Test
    void acceptedMailIsNotDecorated() throws Exception {
        FilterChain chain = new FilterChain(List.of(refusing("dnsbl", Verdict.CONTINUE)), new GatewayStats(new SimpleMeterRegistry()),
                Map.of(), "postmaster@example.org");
        assertEquals(Verdict.CONTINUE, chain.run(Stage.RCPT, new Transaction(InetAddress.getByName("192.0.2.46"))).result());
    }
}
