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
 * Spam traps: the trap recipient is taken, the whole message then fails, the hit is queued for the
 * trust-service (in the real queue table) and the client is refused for a while. Each test uses its
 * own client address.
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
    void anAllowListedRelayLosesTheMessageButIsNotBlocked() throws Exception {
        SpamTrapFilter f = filter();
        Transaction tx = client("192.0.2.22");
        tx.allowListedIp = true;
        assertEquals(TAKEN, now(f, Stage.RCPT, to(tx, "trap@example.net")));
        assertEquals(MESSAGE_REFUSED, now(f, Stage.END_OF_DATA, tx));
        awaitQueued("192.0.2.22", "trap@example.net");
        tx.resetEnvelope();
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(tx, "bob@example.net")), "a relay you trust is not refused afterwards");
    }

    @Test
    void aBlockDurationOfZeroBlocksNobody() throws Exception {
        SpamTrapFilter f = filter("gateway.traps.block-duration", "0s");
        Transaction tx = to(client("192.0.2.23"), "trap@example.net");
        assertEquals(TAKEN, now(f, Stage.RCPT, tx));
        tx.resetEnvelope();
        assertEquals(Verdict.CONTINUE, now(f, Stage.RCPT, to(tx, "bob@example.net")));
        awaitQueued("192.0.2.23", "trap@example.net");
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
