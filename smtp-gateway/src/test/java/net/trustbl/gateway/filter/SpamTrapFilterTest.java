package net.trustbl.gateway.filter;

import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.testing.Eventually;
import net.trustbl.gateway.support.FilterFixture;
import net.trustbl.gateway.transaction.Transaction;
import net.trustbl.gateway.traps.TrapBlocks;
import net.trustbl.gateway.traps.TrapHitQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static net.trustbl.gateway.support.FilterCalls.client;
import static net.trustbl.gateway.support.FilterCalls.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spam traps: the trap recipient is taken, the whole message then fails, and once the client has
 * sent that message (end of data) the hit is queued for the trust-service (in the real queue table)
 * and the client is refused for a while. A RCPT alone (a sender-verification callout) and a
 * null-sender message (a bounce) are never reported nor blocked. Each test uses its own client
 * address.
 */
class SpamTrapFilterTest {

    static final Verdict TAKEN = Verdict.acceptHere(250, "2.1.5", "Ok");
    static final Verdict MESSAGE_REFUSED = Verdict.reject(550, "5.7.1", "Message refused: one of its recipients is a spam trap");

    @RegisterExtension
    static final FilterFixture env = FilterFixture.withDatabase();

    /** Trap addresses trap@example.net and anything at traps.test; no trust-service, so queued hits stay queued. */
    static SpamTrapFilter filter(String... more) {
        String[] all = java.util.Arrays.copyOf(more, more.length + 2);
        all[more.length] = "gateway.traps.addresses";
        all[more.length + 1] = "trap@example.net,*@traps.test";
        GatewayConfig c = env.config(all);
        return new SpamTrapFilter(c, new TrapHitQueue(env.vertx(), env.db().dataSource(), c), new TrapBlocks(c));
    }

    static Transaction to(Transaction tx, String rcpt) {
        tx.mailFrom = "sender@example.org";
        tx.rcpt = rcpt;
        return tx;
    }

    static void awaitQueued(String ip, String trap) throws Exception {
        Eventually.await("the trap hit of " + ip + " in the queue", Duration.ofSeconds(20),
                () -> env.db().count("trap_hit_queue", "ip = ? AND trap_address = ?", ip, trap) == 1);
    }

    /** The client sends a message to the trap: taken at RCPT, refused at the end of data. */
    static void sent(SpamTrapFilter f, Transaction tx) {
        assertEquals(TAKEN, now(f, Stage.RCPT, tx));
        tx.recipients.add(tx.rcpt);
        assertEquals(MESSAGE_REFUSED, now(f, Stage.END_OF_DATA, tx));
    }

    @Test
    void aSenderVerificationCalloutIsNeitherReportedNorBlocked() throws Exception {
        // an innocent MTA checks a forged sender address that is a trap: MAIL FROM:<>, RCPT TO:<trap>, QUIT
        SpamTrapFilter f = filter();
        Transaction callout = client("192.0.2.26");
        callout.mailFrom = "";
        callout.rcpt = "trap@example.net";
        assertEquals(TAKEN, now(f, Stage.RCPT, callout));
        // the same with a non-null sender (some callouts use postmaster@ or a fixed address): still no message
        Transaction probe = to(client("192.0.2.26"), "anything@traps.test");
        assertEquals(TAKEN, now(f, Stage.RCPT, probe));
        probe.resetEnvelope();
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(probe, "bob@example.net")), "no block without a message");
        sent(f, to(client("192.0.2.37"), "trap@example.net"));
        awaitQueued("192.0.2.37", "trap@example.net");
        assertEquals(0, env.db().count("trap_hit_queue", "ip = ?", "192.0.2.26"), "a RCPT alone is never reported");
    }

    @Test
    void aBounceToATrapIsRefusedButNeitherReportedNorBlocked() throws Exception {
        // a DSN or auto-reply to a trap the spammer forged as sender: backscatter from an abused server
        SpamTrapFilter f = filter();
        Transaction bounce = client("192.0.2.27");
        bounce.mailFrom = "";
        bounce.rcpt = "trap@example.net";
        sent(f, bounce);
        bounce.resetEnvelope();
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(bounce, "bob@example.net")), "the bouncing server is not blocked");
        sent(f, to(client("192.0.2.38"), "trap@example.net"));
        awaitQueued("192.0.2.38", "trap@example.net");
        assertEquals(0, env.db().count("trap_hit_queue", "ip = ?", "192.0.2.27"), "a bounce is not reported");
    }

    @Test
    void aBigSendersSharedPoolAddressIsRefusedButNeitherReportedNorBlocked() throws Exception {
        // one freemail user mails the trap through Google's outbound pool (shipped known senders)
        SpamTrapFilter f = filter();
        Transaction pool = to(client("209.85.128.5"), "trap@example.net");
        sent(f, pool);
        pool.resetEnvelope();
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(pool, "bob@example.net")), "the pool's other users still get through");
        sent(f, to(client("192.0.2.39"), "trap@example.net"));
        awaitQueued("192.0.2.39", "trap@example.net");
        assertEquals(0, env.db().count("trap_hit_queue", "ip = ?", "209.85.128.5"), "a shared pool is not reported");
    }

    @Test
    void anOrdinaryRecipientAndMessagePass() {
        SpamTrapFilter f = filter();
        Transaction tx = to(client("192.0.2.20"), "bob@example.net");
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, tx));
        assertEquals(Verdict.CONTINUE, now(f, Stage.END_OF_DATA, tx));
    }

    @Test
    void theTrapIsTakenTheMessageRefusedTheHitQueuedAndTheClientBlocked() throws Exception {
        SpamTrapFilter f = filter();
        Transaction tx = to(client("192.0.2.21"), "Anything@Traps.Test");
        assertEquals(TAKEN, now(f, Stage.RCPT, tx), "answered 250 so that the sender sends the message");
        assertEquals("Anything@Traps.Test", tx.trapHit);
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(tx, "bob@example.net")),
                "the rest of this transaction goes on: it fails as a whole at its end");
        assertEquals(0, env.db().count("trap_hit_queue", "ip = ?", "192.0.2.21"), "no message yet: nothing reported");
        assertEquals(MESSAGE_REFUSED, now(f, Stage.END_OF_DATA, tx));
        awaitQueued("192.0.2.21", "Anything@Traps.Test");

        tx.resetEnvelope();
        Verdict blocked = now(f, Stage.RCPT, to(tx, "bob@example.net"));
        assertEquals(Verdict.Kind.TEMPFAIL, blocked.kind());
        assertEquals(451, blocked.code());
        assertEquals("4.7.1", blocked.status());
        Matcher m = Pattern.compile("Client host \\[192\\.0\\.2\\.21\\] sent mail to a spam trap; refused until (\\S+)").matcher(blocked.text());
        assertTrue(m.matches(), blocked.text());
        Instant until = Instant.parse(m.group(1));
        assertTrue(until.isAfter(Instant.now()) && !until.isAfter(Instant.now().plus(Duration.ofHours(1))),
                "blocked for the default hour from the hit: " + until);
    }

    @Test
    void anAllowListedRelayLosesTheMessageButIsNeitherBlockedNorReported() throws Exception {
        SpamTrapFilter f = filter();
        Transaction tx = client("192.0.2.22");
        tx.allowListedIp = true;
        assertEquals(TAKEN, now(f, Stage.RCPT, to(tx, "trap@example.net")));
        assertEquals(MESSAGE_REFUSED, now(f, Stage.END_OF_DATA, tx));
        tx.resetEnvelope();
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(tx, "bob@example.net")), "a relay you trust is not refused afterwards");
        // the relay (a backup MX, an upstream filter) is not the spam's source: reporting it would list it
        sent(f, to(client("192.0.2.32"), "trap@example.net"));
        awaitQueued("192.0.2.32", "trap@example.net");
        assertEquals(0, env.db().count("trap_hit_queue", "ip = ?", "192.0.2.22"), "the relay is not reported");
    }

    @Test
    void aClientPipeliningTrapRecipientsIsReportedOnceAndCappedAtMaxRecipients() throws Exception {
        SpamTrapFilter f = filter("gateway.limits.max-recipients", "25");
        Transaction tx = client("192.0.2.25");
        int taken = 0;
        Verdict last = null;
        for (int i = 0; i < 200; i++) {
            String rcpt = "r" + i + "@traps.test";
            last = now(f, Stage.RCPT, to(tx, rcpt));
            if (!last.equals(TAKEN)) {
                break;
            }
            tx.recipients.add(rcpt); // what the session does with a positive reply
            taken++;
        }
        assertEquals(25, taken, "trap recipients count against max-recipients");
        assertEquals(Verdict.Kind.TEMPFAIL, last.kind());
        assertEquals(452, last.code());
        assertEquals(MESSAGE_REFUSED, now(f, Stage.END_OF_DATA, tx));
        // more transactions in the same session, and a new session: still the one hit
        for (int n = 0; n < 3; n++) {
            Transaction again = client("192.0.2.25");
            assertEquals(TAKEN, now(f, Stage.RCPT, to(again, "trap@example.net")));
            assertEquals(MESSAGE_REFUSED, now(f, Stage.END_OF_DATA, again));
        }
        awaitQueued("192.0.2.25", "r0@traps.test");
        sent(f, to(client("192.0.2.35"), "trap@example.net"));
        awaitQueued("192.0.2.35", "trap@example.net");
        assertEquals(1, env.db().count("trap_hit_queue", "ip = ?", "192.0.2.25"), "one report per client per block duration");
    }

    @Test
    void anIpv6ClientIsBlockedByItsSlash64AndReportedByItsOwnAddress() throws Exception {
        SpamTrapFilter f = filter();
        sent(f, to(client("2001:db8:5::1"), "trap@example.net"));
        Verdict blocked = now(f, Stage.RCPT, to(client("2001:db8:5::2"), "bob@example.net"));
        assertEquals(Verdict.Kind.TEMPFAIL, blocked.kind(), "a new address in the same /64 is the same client");
        assertTrue(blocked.text().startsWith("Client network 2001:db8:5:0::/64 sent mail to a spam trap; refused until"),
                blocked.text());
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(client("2001:db8:6::1"), "bob@example.net")));
        sent(f, to(client("2001:db8:5::3"), "trap@example.net"));
        awaitQueued("2001:db8:5:0:0:0:0:1", "trap@example.net");
        sent(f, to(client("192.0.2.36"), "trap@example.net"));
        awaitQueued("192.0.2.36", "trap@example.net");
        assertEquals(1, env.db().count("trap_hit_queue", "ip LIKE ?", "2001:db8:5:%"), "one report per /64 per block duration");
    }

    @Test
    void aBlockDurationOfZeroBlocksNobody() throws Exception {
        SpamTrapFilter f = filter("gateway.traps.block-duration", "0s");
        Transaction tx = to(client("192.0.2.23"), "trap@example.net");
        sent(f, tx);
        tx.resetEnvelope();
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(tx, "bob@example.net")));
        awaitQueued("192.0.2.23", "trap@example.net");
    }

    @Test
    void aQuotedTrapAddressIsTheTrap() {
        SpamTrapFilter f = filter();
        assertEquals(TAKEN, now(f, Stage.RCPT, to(client("192.0.2.28"), "\"trap\"@example.net")), "\"trap\"@ is trap@");
        assertEquals(TAKEN, now(f, Stage.RCPT, to(client("192.0.2.28"), "\"t\\rap\"@example.net")));
    }

    @Test
    void aTrapLookalikeIsNoTrap() {
        SpamTrapFilter f = filter();
        Transaction tx = to(client("192.0.2.24"), "trap@example.network");
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, tx));
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(tx, "other@example.net")), "only trap@ is a trap at example.net");
        assertEquals(Verdict.CONTINUE, now(f, Stage.END_OF_DATA, tx));
    }
}
