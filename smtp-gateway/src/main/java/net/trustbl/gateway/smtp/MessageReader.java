package net.trustbl.gateway.smtp;

import io.vertx.core.buffer.Buffer;
import net.trustbl.gateway.console.GatewayStats;

/**
 * Reads the lines of one DATA section: undoes dot-stuffing, enforces the size and line limits and
 * handles SMTP smuggling (CVE-2023-51764..6): a bare CR/LF or NUL never ends nor splits a message;
 * it is refused at the end of data, or normalized into a line break (NUL dropped) when configured.
 * The first problem found is kept and answered once the real end of data arrives.
 */
final class MessageReader {

    /**
     * Heap bytes counted per message byte: the buffer grows by doubling, so while it grows it may
     * hold up to twice what was read.
     */
    static final long HEAP_FACTOR = 2;

    private final long maxSize;
    private final boolean normalizeSmuggling;
    private final GatewayStats stats;
    private final InFlightBudget budget;
    private Buffer message = Buffer.buffer(4096);
    private long size;
    /** Bytes of the shared budget this message holds; given back by {@link #releaseBudget()}. */
    private long reserved;
    private Reply error;

    MessageReader(long maxSize, boolean normalizeSmuggling, GatewayStats stats, InFlightBudget budget) {
        this.maxSize = maxSize;
        this.budget = budget;
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
            error = Reply.of(550, "5.5.2", "Message line longer than 998 characters");
            return false;
        }
        int start = b.length > 0 && b[0] == '.' ? 1 : 0; // dot-unstuffing
        if (!hasBareBreakOrNul(b)) {
            append(b, start, b.length);
            return false;
        }
        stats.verdict("smuggling", normalizeSmuggling ? "normalize" : "reject");
        if (!normalizeSmuggling) {
            error = Reply.of(550, "5.5.2", "Bare CR, LF or NUL in message data is not allowed");
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

    private void dropMessage() {
        message = null;
        releaseBudget();
    }

    /** Gives the message's bytes back to the shared budget (the transaction is over). */
    void releaseBudget() {
        budget.release(reserved);
        reserved = 0;
    }

    /** The refusal to give at the end of data, or null. */
    Reply error() {
        return error;
    }

    /** The message as read (CRLF line ends, unstuffed). */
    Buffer message() {
        return message;
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
            error = Reply.of(552, "5.3.4", "Message too big");
            dropMessage();
            return;
        }
        if (size * HEAP_FACTOR > reserved) {
            // reserve in steps, so that the shared counter is touched once per 64 KiB, not per line
            long step = Math.max(size * HEAP_FACTOR - reserved, HEAP_FACTOR * 64 * 1024);
            if (!budget.reserve(step)) {
                error = Reply.of(452, "4.3.1", "Insufficient system storage, try again later");
                dropMessage();
                return;
            }
            reserved += step;
        }
        message.appendBytes(b, from, to - from).appendByte((byte) '\r').appendByte((byte) '\n');
    }
}
