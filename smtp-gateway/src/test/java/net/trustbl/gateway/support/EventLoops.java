package net.trustbl.gateway.support;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs test code where the gateway runs it: on an event loop. Downstream connections and their
 * cache are confined to their loop (no locks on the SMTP path), so a test that calls them from
 * its own thread races the loop (seen in CI: a command queued while the loop flushed the last).
 */
public final class EventLoops {

    private EventLoops() {
    }

    /** Runs {@code action} on {@code loop} and waits up to 10 s for the future it returns. */
    public static <T> T onLoop(Context loop, Supplier<Future<T>> action) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        loop.runOnContext(v -> action.get().onComplete(r -> {
            if (r.succeeded()) {
                done.complete(r.result());
            } else {
                done.completeExceptionally(r.cause());
            }
        }));
        return done.get(10, TimeUnit.SECONDS);
    }
}
