package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.protocol.ClientKeys;
import net.trustbl.gateway.transaction.Transaction;
import net.trustbl.gateway.traps.TrapBlocks;
import net.trustbl.gateway.traps.TrapHitQueue;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Spam traps that protect. A recipient that is a trap address is taken (250, never passed to the
 * downstream) so the sender goes on to send the message, and then the whole transaction fails at
 * the end of data: none of the other recipients of that message gets it.
 * <p>
 * Only then, once the client has actually sent a message to the trap, is the client IP queued as a
 * trap hit for the trust-service (persistent, sent in the background, the session never waits) and
 * refused here for {@code gateway.traps.block-duration}. A RCPT alone is no hit: sender-verification
 * callouts ({@code MAIL FROM:<>}, {@code RCPT TO:<trap>}, {@code QUIT}) from innocent servers, made
 * because a spammer forged the trap as the sender of mail to them, would otherwise get those servers
 * reported and blocked. Nor is a message from the null sender: a bounce or auto-reply to a trap is
 * backscatter from a server the spammer abused, not the spam's source; it is refused like any trap
 * message but neither reported nor blocked.
 * <p>
 * A hit is reported once per client per block duration (at least 10 minutes); for IPv6 the client
 * is its /64, as for connection limits and greylisting. A client allow-listed by IP (a relay you
 * trust: a backup MX, an upstream filter) still loses the message but is neither blocked nor
 * reported: it is not the spam's source, and reporting it would list your own relay. Nor is a
 * client in a big sender's shared outbound pool (the greylist's known senders: the shipped list and
 * {@code gateway.greylist.known-senders-file}): one of its users mailed the trap, and a block would
 * refuse all the others. Trap recipients count against {@code max-recipients} like any other.
 */
@ApplicationScoped
public class SpamTrapFilter implements Filter {

    private static final Logger LOG = Logger.getLogger(SpamTrapFilter.class);
    private static final Verdict TAKEN = Verdict.acceptHere(250, "2.1.5", "Ok");

    private final List<String> traps;
    private final int maxRecipients;
    private final TrapHitQueue queue;
    private final TrapBlocks blocks;
    /** Big senders' shared outbound pools (the greylist's known senders): refused, never reported or blocked. */
    private final KnownSenders sharedPools;

    public SpamTrapFilter(GatewayConfig config, TrapHitQueue queue, TrapBlocks blocks) {
        this.traps = config.traps().addresses().orElse(List.of());
        this.maxRecipients = config.limits().maxRecipients();
        this.queue = queue;
        this.blocks = blocks;
        this.sharedPools = KnownSenders.of(config.greylist());
    }

    @Override
    public String name() {
        return "spam-trap";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.RCPT, Stage.END_OF_DATA);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        if (stage == Stage.END_OF_DATA) {
            if (tx.trapHit == null) {
                return Future.succeededFuture(Verdict.CONTINUE);
            }
            hit(tx);
            return Future.succeededFuture(Verdict.reject(550, "5.7.1", "Message refused: one of its recipients is a spam trap"));
        }
        for (String t : traps) {
            if (Patterns.addressMatches(t, tx.rcpt)) {
                return Future.succeededFuture(taken(tx));
            }
        }
        Instant until = tx.trapHit == null ? blocks.blockedUntil(tx.clientIp) : null;
        if (until != null) {
            // an IPv6 client is blocked by its /64: the address asking now need not be the one that sent
            String key = ClientKeys.connectionKey(tx.clientIp);
            String who = key.equals(tx.clientAddress) ? "Client host [" + tx.clientAddress + "]" : "Client network " + key;
            return Future.succeededFuture(Verdict.tempfail(451, "4.7.1", who
                    + " sent mail to a spam trap; refused until " + until.truncatedTo(ChronoUnit.SECONDS)));
        }
        return Future.succeededFuture(Verdict.CONTINUE);
    }

    /** At RCPT: the trap recipient is taken and remembered; nothing is reported or blocked yet. */
    private Verdict taken(Transaction tx) {
        // taken here, the recipient never reaches the recipients filter: its cap is applied here too
        if (tx.recipients.size() >= maxRecipients) {
            return Verdict.tempfail(452, "4.5.3", "Too many recipients");
        }
        if (tx.trapHit == null) {
            tx.trapHit = tx.rcpt;
        }
        return TAKEN;
    }

    /** At the end of data: the client sent a message to the trap. Reported and blocked unless exempt. */
    private void hit(Transaction tx) {
        if (tx.allowListedIp) {
            LOG.infof("allow-listed client %s sent to the spam trap %s: message refused, not reported", tx.clientAddress, tx.trapHit);
            return;
        }
        if (sharedPools.contains(tx.clientIp)) {
            // one user of a freemail or bulk provider mailed the trap: blocking the pool address
            // here would refuse every other user's mail through it for the block duration, and the
            // network does not list a busy shared sender on trap hits anyway
            LOG.infof("client %s of a big sender's shared pool sent to the spam trap %s: message refused, not reported",
                    tx.clientAddress, tx.trapHit);
            return;
        }
        if (tx.mailFrom == null || tx.mailFrom.isEmpty()) {
            // a bounce or auto-reply: the server sending it was abused by whoever forged the trap as sender
            LOG.infof("client %s sent a null-sender message (bounce) to the spam trap %s: message refused, not reported",
                    tx.clientAddress, tx.trapHit);
            return;
        }
        if (blocks.firstHitToReport(tx.clientIp)) {
            queue.enqueue(tx.clientAddress, tx.trapHit); // the address itself: the network lists what it saw
        }
        blocks.block(tx.clientIp);
    }
}
