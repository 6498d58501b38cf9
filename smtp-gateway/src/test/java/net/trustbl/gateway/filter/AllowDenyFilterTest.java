package net.trustbl.gateway.filter;

import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;

import static net.trustbl.gateway.support.FilterCalls.client;
import static net.trustbl.gateway.support.FilterCalls.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The site-wide allow and deny lists of client IPs, HELO names and sender domains (the per-recipient
 * policy lists are in PerRecipientPolicyTest): deny refuses with the reason, allow only sets a flag
 * that lasts as long as the fact it rests on, and never ends the chain.
 */
class AllowDenyFilterTest {

    private final AllowDenyFilter filter = new AllowDenyFilter(TestConfigs.gateway(
            "gateway.allow.ips", "192.0.2.0/24,198.51.100.0/24",
            "gateway.deny.ips", "203.0.113.0/24,198.51.100.7",
            "gateway.allow.helos", "*.partner.test",
            "gateway.deny.helos", "*.bad.test",
            "gateway.allow.sender-domains", "friend.test",
            "gateway.deny.sender-domains", "*.spam.test"));

    @Test
    void aDeniedClientIsDisconnectedAtConnectNamingItsAddress() {
        assertEquals(Verdict.disconnect(554, "5.7.1", "Your address 203.0.113.9 is not allowed to send mail here"),
                now(filter, Stage.CONNECT, client("203.0.113.9")));
        assertEquals(Verdict.disconnect(554, "5.7.1", "Your address 198.51.100.7 is not allowed to send mail here"),
                now(filter, Stage.CONNECT, client("198.51.100.7")), "deny wins over an allow entry that covers it");
    }

    @Test
    void anAllowListedClientIsFlaggedForTheWholeSessionAndTheChainGoesOn() {
        Transaction tx = client("192.0.2.44");
        assertEquals(Verdict.CONTINUE, now(filter, Stage.CONNECT, tx), "never ACCEPT: every later filter still runs");
        assertTrue(tx.allowListedIp);
        tx.resetEnvelope();
        assertTrue(tx.allowListed(), "an RSET does not forget the client's address");

        Transaction stranger = client("192.0.3.1");
        assertEquals(Verdict.CONTINUE, now(filter, Stage.CONNECT, stranger));
        assertFalse(stranger.allowListed());
    }

    @Test
    void aDeniedHeloIsRefusedAndAnAllowedOneCountsUntilTheNextHelo() {
        Transaction tx = client("192.0.3.1");
        tx.helo = "MX.Partner.Test";
        assertEquals(Verdict.CONTINUE, now(filter, Stage.HELO, tx));
        assertTrue(tx.allowListedHelo, "names match case-insensitively");
        tx.helo = "mx.other.test";
        assertEquals(Verdict.CONTINUE, now(filter, Stage.HELO, tx));
        assertFalse(tx.allowListedHelo, "a new HELO forgets the old name's allow entry");

        tx.helo = "mx.partner.test";
        now(filter, Stage.HELO, tx);
        tx.helo = "mx1.bad.test";
        assertEquals(Verdict.reject(550, "5.7.1", "HELO name mx1.bad.test is not allowed"), now(filter, Stage.HELO, tx));
        assertFalse(tx.allowListedHelo, "a refused HELO keeps nothing of the allowed one before it");
        tx.helo = "bad.test";
        assertEquals(Verdict.reject(550, "5.7.1", "HELO name bad.test is not allowed"), now(filter, Stage.HELO, tx),
                "*.bad.test covers the domain itself");
    }

    @Test
    void aDeniedSenderDomainIsRefusedAndAnAllowedOneCountsForThisTransactionOnly() {
        Transaction tx = client("192.0.3.1");
        tx.mailFrom = "offers@news.spam.test";
        assertEquals(Verdict.reject(550, "5.7.1", "Sender domain news.spam.test is not allowed"), now(filter, Stage.MAIL, tx));

        tx.mailFrom = "alice@Friend.Test";
        assertEquals(Verdict.CONTINUE, now(filter, Stage.MAIL, tx));
        assertTrue(tx.allowListedSender);
        tx.resetEnvelope();
        assertFalse(tx.allowListed(), "the sender chooses MAIL FROM freely: the next transaction starts without it");

        tx.mailFrom = "alice@friend.test.evil.example";
        assertEquals(Verdict.CONTINUE, now(filter, Stage.MAIL, tx));
        assertFalse(tx.allowListedSender, "a domain that only starts like an allowed one is not allowed");
    }

    @Test
    void theNullSenderIsNeitherDeniedNorAllowed() {
        AllowDenyFilter denyAll = new AllowDenyFilter(TestConfigs.gateway("gateway.deny.sender-domains", "*."));
        Transaction bounce = client("192.0.3.1");
        bounce.mailFrom = "";
        assertEquals(Verdict.CONTINUE, now(denyAll, Stage.MAIL, bounce), "'*.' matches an empty domain, yet bounces are never denied");
        assertEquals(Verdict.CONTINUE, now(filter, Stage.MAIL, bounce));
        assertFalse(bounce.allowListedSender);
    }

    @Test
    void aBadListEntryStopsStartUpNamingTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AllowDenyFilter(TestConfigs.gateway("gateway.deny.ips", "192.0.2.0/33")));
        assertTrue(e.getMessage().endsWith("bad CIDR: 192.0.2.0/33"), e.getMessage());
    }
}
