package net.trustbl.gateway.smtp;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import net.trustbl.gateway.protocol.LineSplitter;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session's input is split into lines only as far as its queue has room: a read chunk full of
 * empty lines costs a busy session at most its queue, the rest of the chunk waits unsplit with the
 * socket paused, and every byte comes out later, in order.
 */
class SessionInputQueueTest {

    /** A socket that records pause and resume; writes are taken at once. */
    static final class FakeSocket {
        boolean paused;
        final NetSocket socket = (NetSocket) Proxy.newProxyInstance(NetSocket.class.getClassLoader(),
                new Class<?>[] {NetSocket.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "pause" -> paused = true;
                        case "resume" -> paused = false;
                        default -> {
                        }
                    }
                    Class<?> r = method.getReturnType();
                    return r == NetSocket.class ? proxy : r == boolean.class ? false
                            : r == Future.class ? Future.succeededFuture() : null;
                });
    }

    private static String text(LineSplitter.Line line) {
        return new String(line.bytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aChunkOfEmptyLinesFillsABusySessionsQueueOnlyAndAllItsLinesComeOutLater() {
        FakeSocket fake = new FakeSocket();
        List<String> handled = new ArrayList<>();
        SessionChannel channel = new SessionChannel(fake.socket, 998, l -> handled.add(text(l)), () -> true, () -> {
        });
        // a new session is busy until its greeting was sent
        channel.onData(Buffer.buffer("\r\n".repeat(32 * 1024)));
        assertTrue(channel.queuedLines() <= SessionChannel.MAX_QUEUED_LINES + 1,
                "lines split while the session is busy: " + channel.queuedLines());
        assertTrue(fake.paused, "reading pauses while input waits");
        channel.proceed();
        assertEquals(32 * 1024, handled.size());
        assertTrue(handled.stream().allMatch(String::isEmpty));
        assertEquals(0, channel.queuedLines());
        assertFalse(fake.paused, "reading goes on once everything was handled");
    }

    @Test
    void noLineIsLostOrReorderedWhereverTheReadIsCut() {
        StringBuilder sb = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String l = i % 7 == 0 ? "" : "line " + i + (i % 3 == 0 ? "\r" : "");
            expected.add(l);
            sb.append(l).append("\r\n");
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 0; cut <= all.length; cut++) {
            FakeSocket fake = new FakeSocket();
            List<String> handled = new ArrayList<>();
            SessionChannel[] channel = new SessionChannel[1];
            // each command is slow work: the next line waits for the answer
            channel[0] = new SessionChannel(fake.socket, 998, l -> {
                handled.add(text(l));
                channel[0].hold();
            }, () -> true, () -> {
            });
            channel[0].onData(Buffer.buffer(java.util.Arrays.copyOfRange(all, 0, cut)));
            Buffer rest = Buffer.buffer(java.util.Arrays.copyOfRange(all, cut, all.length));
            boolean restSent = false;
            for (int turns = 0; handled.size() < expected.size() && turns < 10_000; turns++) {
                if (!restSent && !fake.paused) {
                    channel[0].onData(rest); // the socket delivers only while reading
                    restSent = true;
                } else {
                    channel[0].proceed();
                }
            }
            assertEquals(expected, handled, "cut at " + cut);
        }
    }

    @Test
    void inputThatArrivesWhileSplittingWaitsIsKeptBehindTheUnsplitRest() {
        FakeSocket fake = new FakeSocket();
        List<String> handled = new ArrayList<>();
        SessionChannel channel = new SessionChannel(fake.socket, 998, l -> handled.add(text(l)), () -> true, () -> {
        });
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            first.append(i).append("\r\n");
        }
        channel.onData(Buffer.buffer(first.toString()));
        channel.onData(Buffer.buffer("1000\r\n1001\r\n")); // already read when the pause took effect
        channel.proceed();
        assertEquals(1002, handled.size());
        for (int i = 0; i < 1002; i++) {
            assertEquals(String.valueOf(i), handled.get(i));
        }
    }
}
