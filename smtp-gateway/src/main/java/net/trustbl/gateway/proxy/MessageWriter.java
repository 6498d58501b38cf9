package net.trustbl.gateway.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a message after the downstream's 354: added headers first, the subject prefix applied
 * in the header section, every line starting with a dot doubled (dot-stuffing), then the
 * end-of-data dot. Written in chunks that wait for the socket to drain, so the message is never
 * copied whole and a slow downstream holds no more than a chunk in the write queue.
 */
final class MessageWriter {

    static final int CHUNK = 64 * 1024;

    private final NetSocket socket;
    private final Buffer message;
    private final List<String> headers;
    private byte[] prefix;
    private boolean headersWritten;
    private boolean inHeaders = true;
    private int position;

    MessageWriter(NetSocket socket, Buffer message, List<String> headers, String subjectPrefix) {
        this.socket = socket;
        this.message = message;
        this.headers = headers;
        this.prefix = subjectPrefix == null ? null : (subjectPrefix + " ").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes chunks until the socket's queue is full, then goes on when it drains. */
    void write() {
        while (true) {
            Buffer chunk = nextChunk();
            if (chunk == null) {
                return;
            }
            socket.write(chunk);
            if (socket.writeQueueFull()) {
                socket.drainHandler(v -> write());
                return;
            }
        }
    }

    /** The next piece of the wire form, null after the end-of-data dot was given. */
    private Buffer nextChunk() {
        if (position > message.length()) {
            return null;
        }
        Buffer out = Buffer.buffer(CHUNK + 1024);
        if (!headersWritten) {
            for (String h : headers) {
                out.appendString(h).appendString("\r\n");
            }
            headersWritten = true;
        }
        int n = message.length();
        while (position < n && out.length() < CHUNK) {
            int end = indexOfCrlf(message, position);
            int lineEnd = end < 0 ? n : end;
            appendLine(out, position, lineEnd);
            position = end < 0 ? n : end + 2;
        }
        if (position >= n) {
            out.appendString(".\r\n");
            position = n + 1;
        }
        return out;
    }

    private void appendLine(Buffer out, int start, int lineEnd) {
        if (lineEnd == start) {
            inHeaders = false;
        }
        if (message.getByte(start) == '.' && lineEnd > start) {
            out.appendByte((byte) '.');
        }
        if (inHeaders && prefix != null && startsWithIgnoreCase(message, start, lineEnd, "subject:")) {
            out.appendBuffer(message, start, 8);
            int textStart = start + 8;
            while (textStart < lineEnd && message.getByte(textStart) == ' ') {
                textStart++;
            }
            out.appendByte((byte) ' ').appendBytes(prefix);
            out.appendBuffer(message, textStart, lineEnd - textStart);
            prefix = null;
        } else {
            out.appendBuffer(message, start, lineEnd - start);
        }
        out.appendString("\r\n");
    }

    private static int indexOfCrlf(Buffer b, int from) {
        int n = b.length() - 1;
        for (int i = from; i < n; i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithIgnoreCase(Buffer b, int start, int end, String prefix) {
        if (end - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) b.getByte(start + i)) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
