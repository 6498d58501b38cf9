package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.transaction.Transaction;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Recipient rules at RCPT: at most max-recipients per message (452 4.5.3, the sender sends the
 * rest later), an optional local list of accepted recipients (550 5.1.1), and the mixed-policy
 * rule: recipients whose policy differs from the transaction's first accepted recipient get
 * 452 4.5.3 so they come back in a transaction of their own (MIMEDefang's multi-recipient dilemma).
 */
@ApplicationScoped
public class RecipientsFilter implements Filter {

    private final int max;
    private final Optional<List<String>> accept;

    public RecipientsFilter(GatewayConfig config) {
        this.max = config.limits().maxRecipients();
        this.accept = config.recipients().accept();
    }

    @Override
    public String name() {
        return "recipients";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.RCPT);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        if (tx.recipients.size() >= max) {
            return Future.succeededFuture(Verdict.tempfail(452, "4.5.3", "Too many recipients"));
        }
        if (accept.isPresent() && accept.get().stream().noneMatch(p -> Patterns.addressMatches(p, tx.rcpt))) {
            return Future.succeededFuture(Verdict.reject(550, "5.1.1", "Recipient address rejected: user unknown"));
        }
        if (tx.policy != null && !Objects.equals(tx.policy, tx.rcptPolicy)) {
            return Future.succeededFuture(Verdict.tempfail(452, "4.5.3",
                    "Recipient has a different policy, send it in a separate transaction"));
        }
        return Future.succeededFuture(Verdict.CONTINUE);
    }
}
