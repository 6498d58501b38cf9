package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import net.trustbl.gateway.transaction.Transaction;

import java.util.Set;

/**
 * One small check of the chain. Called on the session's event loop: it must not block; slow work
 * (DNS, database, a process) returns a Future completed later.
 */
public interface Filter {

    /** Name used in the configuration list {@code gateway.filters}, in logs and metrics. */
    String name();

    Set<Stage> stages();

    Future<Verdict> check(Stage stage, Transaction tx);
}
