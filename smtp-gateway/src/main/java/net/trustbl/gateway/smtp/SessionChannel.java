package net.trustbl.gateway.smtp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import net.trustbl.gateway.protocol.LineSplitter;
import net.trustbl.gateway.protocol.Reply;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The client socket of one session: cuts the input into lines, queues pipelined lines, hands them
 * to the protocol one at a time (the next only after the previous was answered) and writes the
 * replies. Reading pauses while too many lines wait or while the client does not read its replies
 * (the write queue is full), so memory per session stays bounded. A read chunk is split only as far
 * as the queue has room; its rest is kept as it came (no per-line copies) and split when the queue
 * drains, before anything read later. Lines are handed over by one
 * loop, never by recursion: a reply given synchronously returns to the loop, so a megabyte of
 * pipelined commands costs no stack.
 */
final class SessionChannel {

    /** Queued pipelined lines beyond which reading pauses (bounded memory per session). */
    static final int MAX_QUEUED_LINES = 200;

    private final NetSocket socket;
    private final LineSplitter splitter;
    private final ArrayDeque<LineSplitter.Line> queue = new ArrayDeque<>();
    /** {@link #queueFull} made once: the splitter asks it per line, the session hands it over per read. */
    private final BooleanSupplier whenQueueFull = this::queueFull;
    /** Input read but not yet split (the queue was full), from {@link #unreadFrom} on; null: none. */
    private Buffer unread;
    private int unreadFrom;
    private final Consumer<LineSplitter.Line> protocol;
    /** True while a line sent ahead of a reply is allowed (PIPELINING offered, or message data). */
    private final BooleanSupplier pipeliningAllowed;
    private boolean busy = true;
    private boolean paused;
    /** True while the loop in {@link #drain()} runs: a reply inside it must not start another. */
    private boolean draining;
    /** True while the socket's write queue is full: no line is handled until it drains. */
    private boolean writeBlocked;
    private boolean closed;
    /** Told when a line arrives before the previous command was answered without PIPELINING. */
    private final Runnable unauthorizedPipelining;
    long lastActivity = System.nanoTime();

    SessionChannel(NetSocket socket, int maxLine, Consumer<LineSplitter.Line> protocol, BooleanSupplier pipeliningAllowed,
                   Runnable unauthorizedPipelining) {
        this.socket = socket;
        this.unauthorizedPipelining = unauthorizedPipelining;
        this.protocol = protocol;
        this.pipeliningAllowed = pipeliningAllowed;
        this.splitter = new LineSplitter(maxLine, this::onLine);
    }

    NetSocket socket() {
        return socket;
    }

    boolean busy() {
        return busy;
    }

    boolean closed() {
        return closed;
    }

    /** Lines split from the input and not yet handed to the protocol. */
    int queuedLines() {
        return queue.size();
    }

    /** The current command needs slow work: the next line waits for {@link #reply}. */
    void hold() {
        busy = true;
    }

    void onData(Buffer data) {
        lastActivity = System.nanoTime();
        if (closed) {
            return;
        }
        if (unread == null) {
            unread = data;
            unreadFrom = 0;
        } else {
            // read before the pause took effect: behind the rest that waits, never before it
            unread = Buffer.buffer(unread.length() - unreadFrom + data.length())
                    .appendBuffer(unread, unreadFrom, unread.length() - unreadFrom).appendBuffer(data);
            unreadFrom = 0;
        }
        drain();
    }

    private void onLine(LineSplitter.Line line) {
        if (!pipeliningAllowed.getAsBoolean() && (busy || !queue.isEmpty())) {
            unauthorizedPipelining.run();
        }
        queue.addLast(line);
    }

    private boolean queueFull() {
        return queue.size() > MAX_QUEUED_LINES;
    }

    /**
     * Splits what was read and not yet split, as far as the queue has room; true when that gave
     * lines the protocol can take now.
     */
    private boolean splitUnread() {
        if (unread == null || closed || queueFull()) {
            return false;
        }
        unreadFrom = splitter.feed(unread, unreadFrom, whenQueueFull);
        if (unreadFrom >= unread.length()) {
            unread = null;
        }
        return !busy && !writeBlocked && !queue.isEmpty();
    }

    /** Reads while there is room for lines, nothing read waits unsplit, and the client takes its replies. */
    private void updateReading() {
        boolean stop = !closed && (queueFull() || unread != null || writeBlocked);
        if (stop && !paused) {
            paused = true;
            socket.pause();
        } else if (!stop && paused && !closed) {
            paused = false;
            socket.resume();
        }
    }

    /** Hands queued lines to the protocol while it is not busy. */
    void drain() {
        if (draining) {
            return; // called from inside the loop below (a synchronous reply): the loop goes on
        }
        draining = true;
        try {
            do {
                LineSplitter.Line line;
                while (!busy && !closed && !writeBlocked && (line = queue.pollFirst()) != null) {
                    protocol.accept(line);
                }
            } while (splitUnread());
        } finally {
            draining = false;
        }
        // paused while lines or unsplit input wait beyond the queue's room (not within this loop:
        // nothing is read while it runs); reading again once everything was handled
        if (queue.isEmpty() || queueFull() || unread != null) {
            updateReading();
        }
    }

    /** Writes a reply without going on to the next line (STARTTLS). */
    void write(Reply r) {
        socket.write(Buffer.buffer(r.wire()));
        if (!writeBlocked && socket.writeQueueFull()) {
            // the client sends commands but does not read the replies: stop reading until it does
            writeBlocked = true;
            updateReading();
            socket.drainHandler(v -> {
                writeBlocked = false;
                updateReading();
                drain();
            });
        }
    }

    /** Answers the current line and goes on with the next. */
    void reply(Reply r) {
        if (closed) {
            return;
        }
        write(r);
        // the client's time to answer starts now, not when it sent the command
        lastActivity = System.nanoTime();
        busy = false;
        drain();
    }

    /** Goes on with the next line without a reply (after the TLS handshake). */
    void proceed() {
        busy = false;
        drain();
    }

    /** CVE-2011-0411: whatever the client sent after STARTTLS in plaintext is thrown away. */
    void discardInput() {
        queue.clear();
        unread = null;
        splitter.reset();
    }

    void closeWith(Reply r) {
        if (closed) {
            return;
        }
        write(r);
        markClosed();
        socket.close();
    }

    void markClosed() {
        closed = true;
        busy = true;
        queue.clear();
        unread = null;
    }
}
