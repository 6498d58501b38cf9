package net.trustbl.gateway.filter;

import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;

import static net.trustbl.gateway.support.FilterCalls.client;
import static net.trustbl.gateway.support.FilterCalls.now;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Protocol sanity: pregreet and unauthorised pipelining drop the client; HELO must be an FQDN or an address literal. */
class SanityFilterTest {

    private final SanityFilter filter = new SanityFilter(TestConfigs.gateway());

    private static Transaction helo(String name) {
        Transaction tx = client("192.0.2.1");
        tx.helo = name;
        return tx;
    }

    @Test
    void aWellBehavedClientPassesEveryStage() {
        Transaction tx = helo("mail.example.org");
        for (Stage stage : Stage.values()) {
            assertEquals(Verdict.CONTINUE, now(filter, stage, tx), stage.toString());
        }
        assertEquals(Verdict.CONTINUE, now(filter, Stage.HELO, helo("[192.0.2.1]")), "an address literal is a valid HELO");
        assertEquals(Verdict.CONTINUE, now(filter, Stage.HELO, helo("[IPv6:2001:db8::1]")));
    }

    @Test
    void aClientThatTalksBeforeTheGreetingIsDisconnectedAtOnce() {
        Transaction tx = helo("mail.example.org");
        tx.pregreet = true;
        Verdict expected = Verdict.disconnect(554, "5.5.1", "Protocol error: talking before the greeting");
        assertEquals(expected, now(filter, Stage.CONNECT, tx));
        assertEquals(expected, now(filter, Stage.RCPT, tx));
    }

    @Test
    void pipeliningWithoutTheOfferIsPunishedFromTheFirstCommandOnButNotAtConnect() {
        Transaction tx = helo("mail.example.org");
        tx.unauthorizedPipelining = true;
        assertEquals(Verdict.CONTINUE, now(filter, Stage.CONNECT, tx), "nothing was sent ahead before the banner");
        Verdict expected = Verdict.disconnect(554, "5.5.0", "Protocol error: commands sent ahead without PIPELINING");
        assertEquals(expected, now(filter, Stage.HELO, tx));
        assertEquals(expected, now(filter, Stage.MAIL, tx));
        assertEquals(expected, now(filter, Stage.END_OF_DATA, tx));
    }

    @Test
    void aHeloThatIsNotAFullyQualifiedNameIsRefusedAtHeloOnly() {
        Verdict expected = Verdict.reject(550, "5.7.1", "HELO/EHLO must be a fully qualified domain name or an address literal");
        assertEquals(expected, now(filter, Stage.HELO, helo("localhost")));
        assertEquals(expected, now(filter, Stage.HELO, helo("192.0.2.1")), "a bare address must be written as a literal");
        assertEquals(Verdict.CONTINUE, now(filter, Stage.MAIL, helo("localhost")), "judged once, when the HELO is given");
    }

    @Test
    void theFqdnRuleCanBeSwitchedOffButTheProtocolChecksStay() {
        SanityFilter lenient = new SanityFilter(TestConfigs.gateway("gateway.sanity.require-fqdn-helo", "false"));
        assertEquals(Verdict.CONTINUE, now(lenient, Stage.HELO, helo("localhost")));
        Transaction early = helo("localhost");
        early.pregreet = true;
        assertEquals(554, now(lenient, Stage.HELO, early).code());
    }
}
