package net.trustbl.gateway.proxy;

import io.vertx.core.Vertx;

import java.util.ArrayDeque;

/**
 * Idle downstream connections of one event loop, handed to the next client session on that loop
 * instead of a new connection (Postfix's SMTP client caches its connections the same way:
 * {@code smtp_connection_cache_time_limit}, {@code smtp_connection_reuse_count_limit} and
 * {@code smtp_connection_reuse_time_limit}). A session that ends between transactions gives its
 * connection back; unless its last transaction ended with the message's reply (RFC 5321
 * 4.1.1.4: the downstream is then reset already) it is reset with RSET before anyone takes it, closed after
 * {@code idleMillis} unused, and retired after {@code maxUses} transactions or {@code maxAgeMillis}.
 * Each transaction tells the downstream its client with XFORWARD, which holds for one transaction,
 * so a reused connection never carries the previous client's identity; connections told a client
 * with XCLIENT (which holds for the connection) are never reused.
 *
 * <p>One instance per event loop, used only from it: no locks, and a connection's handlers stay
 * on the loop that opened it.
 */
public final class DownstreamCache {

    private record Idle(DownstreamConnection connection, long timer) {
    }

    private final Vertx vertx;
    private final int size;
    private final long idleMillis;
    private final int maxUses;
    private final long maxAgeMillis;
    private final ArrayDeque<Idle> idle = new ArrayDeque<>();

    /** {@code size} 0 caches nothing: every session opens its own connection and QUITs it. */
    public DownstreamCache(Vertx vertx, int size, long idleMillis, int maxUses, long maxAgeMillis) {
        this.vertx = vertx;
        this.size = size;
        this.idleMillis = idleMillis;
        this.maxUses = maxUses;
        this.maxAgeMillis = maxAgeMillis;
    }

    /** A reset idle connection that is still open, or null. */
    public DownstreamConnection take() {
        Idle i;
        while ((i = idle.pollLast()) != null) { // the most recently used: the least likely to have timed out downstream
            vertx.cancelTimer(i.timer);
            if (i.connection.usable()) {
                return i.connection;
            }
        }
        return null;
    }

    /** A session is done with {@code c}: reset it and keep it for the next session, or QUIT it. */
    public void giveBack(DownstreamConnection c, long timeoutMillis) {
        if (size <= 0 || !c.reusable(maxUses, maxAgeMillis)) {
            c.quit();
            return;
        }
        if (c.betweenTransactions()) {
            keep(c); // a round trip less per message: no RSET where nothing is open
            return;
        }
        c.command("RSET", timeoutMillis).onComplete(reset -> {
            if (reset.failed() || reset.result().code() != 250 || !c.usable()) {
                c.close();
            } else {
                keep(c);
            }
        });
    }

    private void keep(DownstreamConnection c) {
        if (idle.size() >= size) {
            c.quit();
            return;
        }
        Idle[] self = new Idle[1];
        long timer = vertx.setTimer(idleMillis, t -> {
            if (idle.remove(self[0])) {
                c.quit();
            }
        });
        self[0] = new Idle(c, timer);
        idle.addLast(self[0]);
    }

    /** Idle connections now (for tests and the console). */
    public int idleCount() {
        return idle.size();
    }
}
