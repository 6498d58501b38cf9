package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import net.trustbl.gateway.transaction.Transaction;

import java.util.EnumSet;
import java.util.Set;

/**
 * A check of the client at MAIL FROM (HELO name, reverse DNS, SPF), so a refused sender reads the
 * reason in a bounce rather than in a greeting its MTA skips. Switched off, or for an IP-allow-listed
 * client (a trusted relay), it passes without asking anything; what a failure does is the
 * operator's {@link CheckAction}.
 */
public abstract class ClientCheck implements Filter {

    protected final CheckAction action;

    /** For the CDI client proxy only (it forwards every call to the real bean). */
    protected ClientCheck() {
        this.action = CheckAction.OFF;
    }

    protected ClientCheck(String key, String value) {
        this.action = CheckAction.parse(key, value);
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.MAIL);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        return action.skips(tx) ? Future.succeededFuture(Verdict.CONTINUE) : checkClient(tx);
    }

    /** The check itself, for a client that is not allow-listed, with the check switched on. */
    protected abstract Future<Verdict> checkClient(Transaction tx);
}
