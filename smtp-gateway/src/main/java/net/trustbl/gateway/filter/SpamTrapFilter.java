package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.transaction.Transaction;
import net.trustbl.gateway.traps.TrapBlocks;
import net.trustbl.gateway.traps.TrapHitQueue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Spam traps that protect. A recipient that is a trap address is taken (250, never passed to the
 * downstream) so the sender goes on to send the message, and then the whole transaction fails at
 * the end of data: none of the other recipients of that message gets it. The client IP is queued
 * as a trap hit for the trust-service (persistent, sent in the background, the session never
 * waits) and refused here for {@code gateway.traps.block-duration}; a client allow-listed by IP (a
 * relay you trust) still loses the message but is not blocked.
 */
@ApplicationScoped
public class SpamTrapFilter implements Filter {

    private final List<String> traps;
    private final TrapHitQueue queue;
    private final TrapBlocks blocks;

    public SpamTrapFilter(GatewayConfig config, TrapHitQueue queue, TrapBlocks blocks) {
        this.traps = config.traps().addresses().orElse(List.of());
        this.queue = queue;
        this.blocks = blocks;
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
            return Future.succeededFuture(tx.trapHit == null ? Verdict.CONTINUE
                    : Verdict.reject(550, "5.7.1", "Message refused: one of its recipients is a spam trap"));
        }
        for (String t : traps) {
            if (Patterns.addressMatches(t, tx.rcpt)) {
                queue.enqueue(tx.clientAddress, tx.rcpt);
                if (!tx.allowListedIp) {
                    blocks.block(tx.clientAddress);
                }
                tx.trapHit = tx.rcpt;
                return Future.succeededFuture(Verdict.acceptHere(250, "2.1.5", "Ok"));
            }
        }
        Instant until = tx.trapHit == null ? blocks.blockedUntil(tx.clientAddress) : null;
        if (until != null) {
            return Future.succeededFuture(Verdict.tempfail(451, "4.7.1", "Client host [" + tx.clientAddress
                    + "] sent mail to a spam trap; refused until " + until.truncatedTo(ChronoUnit.SECONDS)));
        }
        return Future.succeededFuture(Verdict.CONTINUE);
    }
}
