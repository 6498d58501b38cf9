package net.trustbl.gateway.proxy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import net.trustbl.testing.Eventually;
import net.trustbl.gateway.support.EventLoops;
import net.trustbl.gateway.support.FakeDownstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-event-loop cache of idle downstream connections: a session that ends between
 * transactions hands its connection, reset, to the next session, which tells the downstream its
 * own client with XFORWARD; a connection inside a message, or told one client with XCLIENT, is
 * never handed on; idle ones are closed.
 */
class DownstreamCacheTest {

    private Vertx vertx;
    private Context loop;
    private FakeDownstream downstream;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        loop = vertx.getOrCreateContext();
        downstream = new FakeDownstream();
        downstream.offerXforward = true;
    }

    @AfterEach
    void stop() throws Exception {
        downstream.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Runs {@code action} on the cache's event loop (the cache is used from its loop only) and waits for it. */
    private <T> T onLoop(Supplier<Future<T>> action) throws Exception {
        return EventLoops.onLoop(loop, action);
    }

    private int idle(DownstreamCache cache) throws Exception {
        return onLoop(() -> Future.succeededFuture(cache.idleCount()));
    }

    private DownstreamLink link(DownstreamCache cache, boolean xclient) {
        return new DownstreamLink(() -> DownstreamConnection.open(vertx, vertx.createNetClient(), "127.0.0.1",
                downstream.port(), "gw.example.net", 5000), cache, 5000, 5000, true, xclient);
    }

    private static ClientIdentity client(String ip) {
        try {
            return new ClientIdentity("mail.example.org", InetAddress.getByName(ip), "ESMTP", "mail.example.org");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    @Test
    void theNextSessionTakesTheResetConnectionAndTellsItsOwnClient() throws Exception {
        DownstreamCache cache = new DownstreamCache(vertx, 4, 60_000, 100, 300_000);
        DownstreamLink first = link(cache, false);
        DownstreamConnection a = onLoop(() -> first.ensureFor(client("45.67.89.10"))
                .compose(ds -> ds.command("MAIL FROM:<a@example.org>", 5000).map(r -> ds)));
        onLoop(() -> {
            first.sessionClosed();
            return Future.succeededFuture();
        });
        Eventually.await("the connection was reset and kept", Duration.ofSeconds(10), () -> idle(cache) == 1);

        DownstreamLink second = link(cache, false);
        DownstreamConnection b = onLoop(() -> second.ensureFor(client("45.67.89.11"))
                .compose(ds -> ds.command("MAIL FROM:<b@example.org>", 5000).map(r -> ds)));
        assertSame(a, b);
        assertEquals(1, downstream.connections.get(), "one downstream connection for two sessions");
        var cmds = downstream.commands;
        int reset = cmds.lastIndexOf("RSET");
        assertTrue(reset > cmds.indexOf("MAIL FROM:<a@example.org>"), cmds.toString());
        assertEquals("XFORWARD NAME=mail.example.org ADDR=45.67.89.11 PROTO=ESMTP HELO=mail.example.org", cmds.get(reset + 1),
                "the second client's identity, after the reset: " + cmds);
    }

    @Test
    void aConnectionWhoseMessageWasAnsweredIsKeptWithoutAnRset() throws Exception {
        DownstreamCache cache = new DownstreamCache(vertx, 4, 60_000, 100, 300_000);
        DownstreamLink first = link(cache, false);
        byte[] message = "Subject: x\r\n\r\nbody\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        var answered = onLoop(() -> first.ensureFor(client("45.67.89.10"))
                .compose(ds -> ds.command("MAIL FROM:<a@example.org>", 5000))
                .compose(r -> first.usable().command("RCPT TO:<u@example.net>", 5000))
                .compose(r -> first.usable().command("DATA", 5000))
                .compose(r -> first.usable().sendMessage(net.trustbl.gateway.transaction.MessageContent.of(message),
                        java.util.List.of(), null, 5000)));
        assertEquals(250, answered.code(), answered.toString());
        onLoop(() -> {
            first.sessionClosed();
            return Future.succeededFuture();
        });
        assertEquals(1, idle(cache), "kept at once: the message's reply ended the transaction (RFC 5321 4.1.1.4)");
        DownstreamLink second = link(cache, false);
        onLoop(() -> second.ensureFor(client("45.67.89.11")).compose(ds -> ds.command("MAIL FROM:<b@example.org>", 5000)));
        assertEquals(1, downstream.connections.get(), "the second session reused it");
        assertTrue(!downstream.commands.contains("RSET"), "no RSET where nothing was open: " + downstream.commands);
        assertEquals(1, downstream.messages.size());
    }

    @Test
    void aConnectionInsideAMessageIsNeverHandedOn() throws Exception {
        DownstreamCache cache = new DownstreamCache(vertx, 4, 60_000, 100, 300_000);
        DownstreamLink first = link(cache, false);
        DownstreamConnection a = onLoop(() -> first.ensureFor(client("45.67.89.10"))
                .compose(ds -> ds.command("MAIL FROM:<a@example.org>", 5000))
                .compose(r -> first.usable().command("RCPT TO:<u@example.net>", 5000))
                .compose(r -> first.usable().command("DATA", 5000)) // 354: the downstream now reads message text
                .map(r -> first.usable()));
        onLoop(() -> {
            first.sessionClosed();
            return Future.succeededFuture();
        });
        Eventually.await("it was closed", Duration.ofSeconds(10), () -> !onLoop(() -> Future.succeededFuture(a.usable())));
        assertEquals(0, idle(cache));
        DownstreamConnection b = onLoop(() -> link(cache, false).ensureFor(client("45.67.89.11")));
        assertNotSame(a, b);
        assertEquals(2, downstream.connections.get());
    }

    @Test
    void connectionsToldAClientWithXclientAreNotReused() throws Exception {
        downstream.offerXclient = true;
        DownstreamCache cache = new DownstreamCache(vertx, 4, 60_000, 100, 300_000);
        DownstreamLink first = link(cache, true);
        DownstreamConnection a = onLoop(() -> first.ensureFor(client("45.67.89.10")));
        onLoop(() -> {
            first.sessionClosed();
            return Future.succeededFuture();
        });
        Eventually.await("it was told QUIT", Duration.ofSeconds(10), () -> !onLoop(() -> Future.succeededFuture(a.usable())));
        assertEquals(0, idle(cache));
    }

    @Test
    void idleConnectionsCloseAndSizeZeroCachesNothing() throws Exception {
        DownstreamCache cache = new DownstreamCache(vertx, 4, 200, 100, 300_000);
        DownstreamLink first = link(cache, false);
        DownstreamConnection a = onLoop(() -> first.ensureFor(client("45.67.89.10")));
        onLoop(() -> {
            first.sessionClosed();
            return Future.succeededFuture();
        });
        Eventually.await("closed after 200 ms idle", Duration.ofSeconds(10), () -> !onLoop(() -> Future.succeededFuture(a.usable())));
        assertEquals(0, idle(cache));

        DownstreamCache off = new DownstreamCache(vertx, 0, 60_000, 100, 300_000);
        DownstreamLink other = link(off, false);
        DownstreamConnection c = onLoop(() -> other.ensureFor(client("45.67.89.10")));
        onLoop(() -> {
            other.sessionClosed();
            return Future.succeededFuture();
        });
        Eventually.await("size 0: QUIT as before", Duration.ofSeconds(10), () -> !onLoop(() -> Future.succeededFuture(c.usable())));
        assertTrue(downstream.commands.contains("QUIT"));
    }
}
