package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.traps.TrapHitQueue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Mail to a spam-trap address is refused (550) and the client IP is queued as a trap hit for the
 * trust-service; the queue is persistent and sent in the background, so the session never waits.
 */
@ApplicationScoped
public class SpamTrapFilter implements Filter {

    private final List<String> traps;
    private final TrapHitQueue queue;

    public SpamTrapFilter(GatewayConfig config, TrapHitQueue queue) {
        this.traps = config.traps().addresses().orElse(List.of());
        this.queue = queue;
    }

    @Override
    public String name() {
        return "spam-trap";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.RCPT);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        for (String t : traps) {
            if (Patterns.addressMatches(t, tx.rcpt)) {
                queue.enqueue(tx.clientAddress, tx.rcpt);
                return Future.succeededFuture(Verdict.reject(550, "5.1.1", "Recipient address rejected: user unknown"));
            }
        }
        return Future.succeededFuture(Verdict.CONTINUE);
    }
}
