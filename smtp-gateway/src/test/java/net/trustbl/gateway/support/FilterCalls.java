package net.trustbl.gateway.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import net.trustbl.gateway.filter.Filter;
import net.trustbl.gateway.filter.Stage;
import net.trustbl.gateway.filter.Verdict;
import net.trustbl.gateway.transaction.Transaction;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** How the filters' unit tests ask one filter for its verdict, without Quarkus and without a socket. */
public final class FilterCalls {

    private FilterCalls() {
    }

    /** A session from this client address (a literal, never looked up). */
    public static Transaction client(String ip) {
        try {
            return new Transaction(InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    /**
     * The verdict of a filter that decides on the spot (no DNS, no database, no worker): its future
     * must already be complete when check returns, or it would hold up the session's event loop.
     */
    public static Verdict now(Filter filter, Stage stage, Transaction tx) {
        Future<Verdict> answer = filter.check(stage, tx);
        if (!answer.isComplete()) {
            throw new AssertionError(filter.name() + " did not answer at once at " + stage);
        }
        return answer.result();
    }

    /** Asks the filter on an event loop of {@code vertx}, as the SMTP session does, and waits for its verdict. */
    public static Verdict run(Vertx vertx, Filter filter, Stage stage, Transaction tx) throws Exception {
        CompletableFuture<Verdict> out = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                filter.check(stage, tx).onComplete(ar -> {
                    if (ar.succeeded()) {
                        out.complete(ar.result());
                    } else {
                        out.completeExceptionally(ar.cause());
                    }
                });
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out.get(30, TimeUnit.SECONDS);
    }

    /**
     * Takes a worker thread of {@code vertx} until {@code release} is counted down (30 s at most) and
     * returns once it is taken: with a pool of one, the next blocking task waits in the queue.
     */
    public static void takeWorker(Vertx vertx, CountDownLatch release) throws InterruptedException {
        CountDownLatch taken = new CountDownLatch(1);
        vertx.executeBlocking(() -> {
            taken.countDown();
            return release.await(30, TimeUnit.SECONDS);
        }, false);
        if (!taken.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no worker thread was free within 10 s");
        }
    }

    /** Closes a test's Vert.x and waits until it is closed. */
    public static void close(Vertx vertx) throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
