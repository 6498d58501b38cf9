package net.trustbl.engine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The reading side of {@link SnapshotOut}: refills a private 64 KiB buffer, reads primitives from it. */
final class SnapshotIn implements SnapshotFields {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final InputStream source;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;

    SnapshotIn(InputStream source) {
        this.source = source;
    }

    private void need(int n) throws IOException {
        if (limit - pos >= n) {
            return;
        }
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
        while (limit < n) {
            int read = source.read(buf, limit, buf.length - limit);
            if (read < 0) {
                throw new EOFException("the snapshot ends early");
            }
            limit += read;
        }
    }

    @Override
    public long readLong() throws IOException {
        need(8);
        long v = (long) LONGS.get(buf, pos);
        pos += 8;
        return v;
    }

    @Override
    public int readInt() throws IOException {
        need(4);
        int v = (int) INTS.get(buf, pos);
        pos += 4;
        return v;
    }

    @Override
    public int readByte() throws IOException {
        need(1);
        return buf[pos++] & 0xff;
    }

    int readCount() throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            v |= (b & 0x7f) << shift;
            if (b < 0x80) {
                return v;
            }
        }
        throw new IOException("a count in the snapshot is malformed");
    }

    /** A count that must not exceed {@code max} (a damaged snapshot must not allocate gigabytes). */
    int readCount(int max) throws IOException {
        int n = readCount();
        if (n > max) {
            throw new IOException("a count in the snapshot is out of range: " + n);
        }
        return n;
    }
}
