package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.transaction.Transaction;

import java.util.EnumSet;
import java.util.Set;

/**
 * ESMTP SIZE: a MAIL FROM that declares more than the limit is refused before any data (552
 * 5.3.4). The limit is also enforced while DATA is read, by the session itself.
 */
@ApplicationScoped
public class SizeFilter implements Filter {

    private final long max;

    public SizeFilter(GatewayConfig config) {
        this.max = config.limits().maxMessageSize();
    }

    @Override
    public String name() {
        return "size";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.MAIL);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        if (tx.declaredSize > max) {
            return Future.succeededFuture(Verdict.reject(552, "5.3.4", "Message size exceeds fixed limit of " + max + " bytes"));
        }
        return Future.succeededFuture(Verdict.CONTINUE);
    }
}
