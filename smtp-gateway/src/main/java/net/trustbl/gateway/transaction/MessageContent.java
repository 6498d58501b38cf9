package net.trustbl.gateway.transaction;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The message of a transaction as read (CRLF line ends, dot-stuffing undone), whether it is held in
 * memory or in a spool file: filters, the downstream relay and the intake read it through
 * {@link #openStream()}, so a big message is never held whole in heap. Immutable once the end of
 * data was read, so worker threads may open it too; every call opens an independent stream.
 */
public interface MessageContent {

    /** Bytes of the message. */
    long size();

    /** A new stream over the whole message, from its first byte; the caller closes it. */
    InputStream openStream() throws IOException;

    /** True when the message lives in a spool file rather than in memory. */
    boolean spooled();

    /**
     * The header section, up to and including the empty line that ends it (or the whole message
     * when it has none), at most {@code max} bytes: headers are small, the body may not be.
     */
    default byte[] headers(int max) {
        try (InputStream in = openStream()) {
            byte[] head = in.readNBytes(max);
            for (int i = 0; i + 3 < head.length; i++) {
                if (head[i] == '\r' && head[i + 1] == '\n' && head[i + 2] == '\r' && head[i + 3] == '\n') {
                    return java.util.Arrays.copyOf(head, i + 4);
                }
            }
            return head;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A message held in memory (small messages, tests). */
    static MessageContent of(Buffer message) {
        return of(message.getBytes());
    }

    /** A message held in memory (small messages, tests). */
    static MessageContent of(byte[] message) {
        return of(message, message.length);
    }

    /** The first {@code length} bytes of an array that is not written any more (no copy made). */
    static MessageContent of(byte[] message, int length) {
        return new MessageContent() {
            @Override
            public long size() {
                return length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(message, 0, length);
            }

            @Override
            public boolean spooled() {
                return false;
            }
        };
    }
}
