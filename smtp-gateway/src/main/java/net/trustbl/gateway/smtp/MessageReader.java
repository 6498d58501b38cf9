package net.trustbl.gateway.smtp;

import io.vertx.core.buffer.Buffer;
import net.trustbl.gateway.protocol.LineSplitter;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.stats.GatewayStats;
import net.trustbl.gateway.transaction.MessageContent;

import java.io.IOException;

/**
 * Reads the lines of one DATA section: undoes dot-stuffing, enforces the size and line limits and
 * handles SMTP smuggling (CVE-2023-51764..6): a bare CR/LF or NUL never ends nor splits a message;
 * it is refused at the end of data, or normalized into a line break (NUL dropped) when configured.
 * The first problem found is kept and answered once the real end of data arrives.
 */
final class MessageReader {

    private final long maxSize;
    private final boolean normalizeSmuggling;
    private final GatewayStats stats;
    /** Memory up to the spool threshold, then a spool file; given back by {@link #release()}. */
    private final MessageBuffer message;
    private long size;
    private Reply error;

    MessageReader(long maxSize, boolean normalizeSmuggling, GatewayStats stats, MessageBuffer message) {
        this.maxSize = maxSize;
        this.message = message;
        this.normalizeSmuggling = normalizeSmuggling;
        this.stats = stats;
    }

    /** Takes one line; true when it was the end-of-data line. */
    boolean line(LineSplitter.Line line) {
        byte[] b = line.bytes();
        if (!line.overlong() && b.length == 1 && b[0] == '.') {
            return true;
        }
        if (error != null) {
            return false;
        }
        if (line.overlong()) {
            fail(Reply.of(550, "5.5.2", "Message line longer than 998 characters"));
            return false;
        }
        int start = b.length > 0 && b[0] == '.' ? 1 : 0; // dot-unstuffing
        if (!hasBareBreakOrNul(b)) {
            append(b, start, b.length);
            return false;
        }
        stats.verdict("smuggling", normalizeSmuggling ? "normalize" : "reject");
        if (!normalizeSmuggling) {
            fail(Reply.of(550, "5.5.2", "Bare CR, LF or NUL in message data is not allowed"));
            return false;
        }
        byte[] normalized = normalize(b, start);
        append(normalized, 0, normalized.length);
        return false;
    }

    /** Bytes read so far (for the minimum data rate). */
    long size() {
        return size;
    }

    /**
     * The transaction is over (in every path: delivered, refused, client gone): the message's
     * memory and disk go back to their budgets and its spool file is deleted.
     */
    void release() {
        message.release();
    }

    /** The message will be refused: the rest is read but not kept, and what was kept is given back now. */
    private void fail(Reply refusal) {
        error = refusal;
        message.release();
    }

    /** The refusal to give at the end of data, or null. */
    Reply error() {
        return error;
    }

    /** The message as read (CRLF line ends, unstuffed); valid until {@link #release()}. */
    MessageContent message() throws IOException {
        return message.content();
    }

    /** True when the message went to a spool file (it outgrew gateway.limits.spool-threshold). */
    boolean spooled() {
        return message.spooled();
    }

    private static boolean hasBareBreakOrNul(byte[] b) {
        for (byte c : b) {
            if (c == '\r' || c == '\n' || c == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Bare CR / LF become line breaks inside the content, NUL is removed; a "." that results is
     * content (it will be dot-stuffed downstream), never an end of data.
     */
    private static byte[] normalize(byte[] b, int start) {
        Buffer piece = Buffer.buffer(b.length + 8);
        for (int i = start; i < b.length; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < b.length && b[i + 1] == '\n') {
                    i++;
                }
                piece.appendByte((byte) '\r').appendByte((byte) '\n');
            } else if (c != 0) {
                piece.appendByte(c);
            }
        }
        return piece.getBytes();
    }

    private void append(byte[] b, int from, int to) {
        size += (to - from) + 2;
        if (size > maxSize) {
            fail(Reply.of(552, "5.3.4", "Message too big"));
            return;
        }
        if (!message.appendLine(b, from, to)) {
            // the memory or spool budget is spent (or the spool cannot be written): retry later
            error = Reply.of(452, "4.3.1", "Insufficient system storage, try again later");
        }
    }
}
