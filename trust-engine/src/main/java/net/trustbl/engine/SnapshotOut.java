package net.trustbl.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The writing side of the snapshot format: primitives little-endian into a private buffer,
 * handed to the stream 64 KiB at a time. DataOutputStream costs a virtual call (and a lock in
 * the buffered stream under it) per byte; this costs an array store.
 */
final class SnapshotOut {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final OutputStream sink;
    private final byte[] buf = new byte[1 << 16];
    private int pos;

    SnapshotOut(OutputStream sink) {
        this.sink = sink;
    }

    private void room(int n) throws IOException {
        if (pos + n > buf.length) {
            flush();
        }
    }

    void writeLong(long v) throws IOException {
        room(8);
        LONGS.set(buf, pos, v);
        pos += 8;
    }

    void writeDouble(double v) throws IOException {
        writeLong(Double.doubleToRawLongBits(v));
    }

    void writeInt(int v) throws IOException {
        room(4);
        INTS.set(buf, pos, v);
        pos += 4;
    }

    void writeByte(int v) throws IOException {
        room(1);
        buf[pos++] = (byte) v;
    }

    /** A count or index (never negative): 1 byte below 128, at most 5. */
    void writeCount(int v) throws IOException {
        if (v < 0) {
            throw new IllegalArgumentException("negative count " + v);
        }
        room(5);
        while (v >= 0x80) {
            buf[pos++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void flush() throws IOException {
        sink.write(buf, 0, pos);
        pos = 0;
    }
}
