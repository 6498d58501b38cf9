package net.trustbl.gateway.proxy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.support.EventLoops;
import net.trustbl.gateway.support.SlowDownstream;
import net.trustbl.gateway.transaction.MessageContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that hangs up while its message is being relayed: the downstream connection is
 * dropped without a word (no QUIT inside message data, which the downstream would take as a line
 * of the message) and the rest of the message is not sent, so the downstream never gets a
 * complete message it could deliver.
 */
class ClientHangUpDuringRelayTest {

    private Vertx vertx;
    private Context loop;
    private SlowDownstream downstream;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        loop = vertx.getOrCreateContext();
        downstream = new SlowDownstream();
    }

    @AfterEach
    void stop() throws Exception {
        downstream.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static byte[] bigMessage(int bytes) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(bytes + 100);
        b.writeBytes("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; b.size() < bytes; i++) {
            b.writeBytes(String.format("line %08d %s\r\n", i, "x".repeat(60)).getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    @Test
    void aClientHangUpDuringRelayNeverPutsQuitIntoTheMessageNorCompletesIt() throws Exception {
        DownstreamCache cache = new DownstreamCache(vertx, 4, 60_000, 100, 300_000);
        // a fixed send buffer (no autotuning to megabytes): the message cannot be all written in the first turn
        NetClient smallSendBuffer = vertx.createNetClient(new NetClientOptions().setSendBufferSize(64 * 1024));
        DownstreamLink link = new DownstreamLink(() -> DownstreamConnection.open(vertx, smallSendBuffer, "127.0.0.1",
                downstream.port(), "gw.example.net", 5000), cache, 5000, 30_000, false, false);
        ClientIdentity client = new ClientIdentity("mail.example.org", InetAddress.getByName("45.67.89.10"), "ESMTP",
                "mail.example.org");
        DownstreamConnection ds = EventLoops.onLoop(loop, () -> link.ensureFor(client)
                .compose(c -> c.command("MAIL FROM:<a@example.org>", 5000))
                .compose(r -> link.usable().command("RCPT TO:<u@example.net>", 5000))
                .compose(r -> link.usable().command("DATA", 5000))
                .map(r -> link.usable()));
        MessageContent message = MessageContent.of(bigMessage(8 * 1024 * 1024));
        EventLoops.onLoop(loop, () -> {
            Future<Reply> relayed = ds.sendMessage(message, List.of(), null, 30_000);
            link.sessionClosed(); // the client hung up right after its end-of-data dot
            return Future.succeededFuture(relayed);
        });
        assertTrue(downstream.ended.await(30, TimeUnit.SECONDS), "the downstream connection was closed");
        assertFalse(downstream.dataLines.contains("QUIT"), "QUIT was written into the message data");
        assertFalse(downstream.messageComplete, "the rest of the message was sent after the client left ("
                + downstream.dataLines.size() + " lines)");
        assertFalse(downstream.commands.contains("QUIT"), downstream.commands.toString());
    }
}
