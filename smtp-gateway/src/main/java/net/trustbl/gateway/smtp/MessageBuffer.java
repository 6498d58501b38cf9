package net.trustbl.gateway.smtp;

import net.trustbl.gateway.budget.InFlightBudget;
import net.trustbl.gateway.transaction.MessageContent;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Where the lines of one message go while it is read: memory up to the spool threshold, then a
 * spool file. Memory is counted against the shared in-flight budget (twice the bytes held, as the
 * array grows by doubling); once spooled, only a 64 KiB staging chunk stays in heap and the file
 * counts against the disk budget, both within the client's share ({@link InFlightBudget#CLIENT_SHARE}).
 * A budget that is spent, or a failed write, drops the message
 * (the reader answers 452 4.3.1). {@link #release()} gives everything back and deletes the file.
 *
 * <p>Writes go to the file from the event loop, a chunk at a time: they land in the page cache
 * (no fsync, see {@link Spool}), which costs microseconds, not a disk round trip.
 */
final class MessageBuffer {

    private static final Logger LOG = Logger.getLogger(MessageBuffer.class);
    /** Heap bytes counted per byte held in memory: a growing array may be twice what it holds. */
    static final long HEAP_FACTOR = 2;
    static final int CHUNK = 64 * 1024;
    /** Budget steps, so that the shared counters are touched once per step, not per line. */
    private static final long MEMORY_STEP = HEAP_FACTOR * CHUNK;
    private static final long DISK_STEP = 16L * CHUNK;
    private static final byte[] CRLF = {'\r', '\n'};

    private final Spool spool;
    private final InFlightBudget memory;
    /** The message while in memory; the staging chunk once spooled. */
    private byte[] bytes = new byte[4096];
    private int held;
    private long size;
    private long memoryReserved;
    private long diskReserved;
    private Path file;
    private FileChannel channel;
    private boolean dropped;

    /** The client whose share of the budgets this message counts against (null: none). */
    private final String client;

    MessageBuffer(Spool spool, InFlightBudget memory) {
        this(spool, memory, null);
    }

    MessageBuffer(Spool spool, InFlightBudget memory, String client) {
        this.spool = spool;
        this.memory = memory;
        this.client = client;
    }

    /** Appends one line and its CRLF; false when the message had to be dropped (no room left). */
    boolean appendLine(byte[] b, int from, int to) {
        if (dropped) {
            return false;
        }
        size += (to - from) + 2L;
        try {
            boolean ok = channel == null ? holdInMemory(b, from, to) : stage(b, from, to);
            if (!ok) {
                release();
            }
            return ok;
        } catch (IOException e) {
            LOG.warnf("cannot write to the message spool %s: %s", spool.dir(), e.getMessage());
            release();
            return false;
        }
    }

    private boolean holdInMemory(byte[] b, int from, int to) throws IOException {
        if (size > spool.threshold()) {
            startSpool();
            return stage(b, from, to);
        }
        if (size * HEAP_FACTOR > memoryReserved) {
            long step = Math.max(size * HEAP_FACTOR - memoryReserved, MEMORY_STEP);
            if (!memory.reserve(client, step)) {
                return false;
            }
            memoryReserved += step;
        }
        ensureCapacity(held + (to - from) + 2);
        put(b, from, to);
        return true;
    }

    /** The message outgrew memory: what is held goes to a new spool file, the array shrinks to a chunk. */
    private void startSpool() throws IOException {
        file = spool.newFile();
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
        flush();
        bytes = new byte[CHUNK];
        if (memoryReserved > MEMORY_STEP) {
            memory.release(client, memoryReserved - MEMORY_STEP);
            memoryReserved = MEMORY_STEP;
        }
    }

    /** Appends to the staging chunk, writing it to the file whenever it fills. */
    private boolean stage(byte[] b, int from, int to) throws IOException {
        if (size > diskReserved) {
            long step = Math.max(size - diskReserved, DISK_STEP);
            if (!spool.disk().reserve(client, step)) {
                return false;
            }
            diskReserved += step;
        }
        if (held + (to - from) + 2 > bytes.length) {
            flush();
        }
        if ((to - from) + 2 > bytes.length) {
            // a piece bigger than the chunk (never from a 998-octet line, but cheap to allow)
            write(ByteBuffer.wrap(b, from, to - from));
            write(ByteBuffer.wrap(CRLF));
            return true;
        }
        put(b, from, to);
        return true;
    }

    private void put(byte[] b, int from, int to) {
        System.arraycopy(b, from, bytes, held, to - from);
        held += to - from;
        bytes[held++] = '\r';
        bytes[held++] = '\n';
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }

    private void flush() throws IOException {
        write(ByteBuffer.wrap(bytes, 0, held));
        held = 0;
    }

    private void write(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    /** Bytes appended so far. */
    long size() {
        return size;
    }

    /** True while the message is (being) written to a spool file. */
    boolean spooled() {
        return channel != null;
    }

    /** The spool file, null while the message is in memory. */
    Path file() {
        return file;
    }

    /** The whole message, once its last line was appended; valid until {@link #release()}. */
    MessageContent content() throws IOException {
        if (channel == null) {
            return MessageContent.of(bytes, held);
        }
        flush();
        channel.close();
        bytes = null;
        return new SpooledContent(file, size);
    }

    /** Gives back the memory and disk reserved and deletes the spool file; safe to call again. */
    void release() {
        dropped = true;
        bytes = null;
        memory.release(client, memoryReserved);
        memoryReserved = 0;
        spool.disk().release(client, diskReserved);
        diskReserved = 0;
        try {
            if (channel != null) {
                channel.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warnf("cannot delete spool file %s: %s", file, e.getMessage());
        }
    }

    /** A message read back from its spool file. */
    private record SpooledContent(Path file, long size) implements MessageContent {
        @Override
        public InputStream openStream() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public boolean spooled() {
            return true;
        }
    }
}
