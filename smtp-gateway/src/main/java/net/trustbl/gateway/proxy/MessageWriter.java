package net.trustbl.gateway.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a message after the downstream's 354: added headers first, the subject prefix applied
 * in the header section, every line starting with a dot doubled (dot-stuffing), then the
 * end-of-data dot. The message is read from its stream (memory or spool file) in 64 KiB chunks
 * that wait for the socket to drain, so it is never held whole and a slow downstream holds no more
 * than a chunk in the write queue. The reads run on the event loop: a spool file was just written
 * and is read back from the page cache, a chunk per drain.
 */
final class MessageWriter {

    private static final Logger LOG = Logger.getLogger(MessageWriter.class);
    static final int CHUNK = 64 * 1024;
    /** The smallest read buffer: a whole text line (RFC 5321: 1000 octets with CRLF) fits. */
    static final int MIN_BUFFER = 1024;

    private final NetSocket socket;
    private final InputStream in;
    private final List<String> headers;
    /** Sized to the message up to a chunk: most messages are a few KiB, and a per-message 64 KiB array is garbage. */
    private final byte[] buf;
    /** Expected bytes of one output piece: the message (plus headers and stuffing) up to a chunk. */
    private final int pieceSize;
    private int pos;
    private int limit;
    private boolean eof;
    private byte[] prefix;
    private boolean headersWritten;
    private boolean inHeaders = true;
    /** False while the rest of a line longer than the read buffer is still to come. */
    private boolean atLineStart = true;
    private boolean finished;

    MessageWriter(NetSocket socket, InputStream in, long messageSize, List<String> headers, String subjectPrefix) {
        this.socket = socket;
        int expected = (int) Math.min(CHUNK, Math.max(0, messageSize) + 2);
        this.buf = new byte[Math.max(MIN_BUFFER, expected)];
        int headerBytes = 0;
        for (String h : headers) {
            headerBytes += h.length() + 2;
        }
        // room for the headers, some dot-stuffing and the end-of-data dot without growing the buffer
        this.pieceSize = Math.min(CHUNK, expected) + headerBytes + 64;
        this.in = in;
        this.headers = headers;
        this.prefix = subjectPrefix == null ? null : (subjectPrefix + " ").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes chunks until the socket's queue is full, then goes on when it drains; nothing once closed. */
    void write() {
        if (finished) {
            return; // closed while waiting for the drain: the connection was dropped
        }
        try {
            while (!finished) {
                socket.write(nextChunk());
                if (!finished && socket.writeQueueFull()) {
                    socket.drainHandler(v -> write());
                    return;
                }
            }
            close();
        } catch (IOException e) {
            // the downstream must not take a truncated message for a whole one: no end-of-data dot
            LOG.warnf("cannot read the message to relay it: %s", e.getMessage());
            close();
            socket.close();
        }
    }

    /** Stops writing and gives the message stream back (the relay ended, in any way). */
    void close() {
        finished = true;
        try {
            in.close();
        } catch (IOException e) {
            LOG.debugf("closing the message stream: %s", e.getMessage());
        }
    }

    /** The next piece of the wire form; the one with the end-of-data dot sets {@code finished}. */
    private Buffer nextChunk() throws IOException {
        Buffer out = Buffer.buffer(headersWritten ? Math.min(CHUNK + 1024, pieceSize) : pieceSize);
        if (!headersWritten) {
            for (String h : headers) {
                out.appendString(h).appendString("\r\n");
            }
            headersWritten = true;
        }
        while (out.length() < CHUNK) {
            if (!appendNextLine(out)) {
                out.appendString(".\r\n");
                finished = true;
                break;
            }
        }
        return out;
    }

    /** Appends the next line (or the next piece of a very long one); false at the end of the message. */
    private boolean appendNextLine(Buffer out) throws IOException {
        int end = indexOfCrlf();
        while (end < 0 && !eof && !(pos == 0 && limit == buf.length)) {
            fill();
            end = indexOfCrlf();
        }
        if (pos == limit && eof) {
            return false;
        }
        boolean terminated = end >= 0 || eof;
        int lineEnd = end >= 0 ? end : limit;
        appendLine(out, lineEnd, terminated);
        pos = end >= 0 ? end + 2 : lineEnd;
        return true;
    }

    /** Moves what is left to the front of the buffer and reads more behind it. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    private void appendLine(Buffer out, int lineEnd, boolean terminated) {
        int start = pos;
        if (atLineStart) {
            if (lineEnd == start) {
                inHeaders = false;
            }
            if (lineEnd > start && buf[start] == '.') {
                out.appendByte((byte) '.');
            }
        }
        if (atLineStart && inHeaders && prefix != null && startsWithIgnoreCase(start, lineEnd, "subject:")) {
            out.appendBytes(buf, start, 8);
            int textStart = start + 8;
            while (textStart < lineEnd && buf[textStart] == ' ') {
                textStart++;
            }
            out.appendByte((byte) ' ').appendBytes(prefix);
            out.appendBytes(buf, textStart, lineEnd - textStart);
            prefix = null;
        } else {
            out.appendBytes(buf, start, lineEnd - start);
        }
        if (terminated) {
            out.appendString("\r\n");
        }
        atLineStart = terminated;
    }

    private int indexOfCrlf() {
        for (int i = pos; i < limit - 1; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean startsWithIgnoreCase(int start, int end, String text) {
        if (end - start < text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.toLowerCase((char) buf[start + i]) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
