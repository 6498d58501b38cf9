package net.trustbl.engine;

import java.io.DataInput;
import java.io.IOException;

/**
 * The primitives a snapshot record is read from: the current format's little-endian buffer
 * ({@link SnapshotIn}) or format 2's big-endian {@link DataInput}, so each record has one reader.
 */
interface SnapshotFields {

    long readLong() throws IOException;

    int readInt() throws IOException;

    /** An unsigned byte. */
    int readByte() throws IOException;

    default double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    static SnapshotFields of(DataInput in) {
        return new SnapshotFields() {
            @Override
            public long readLong() throws IOException {
                return in.readLong();
            }

            @Override
            public int readInt() throws IOException {
                return in.readInt();
            }

            @Override
            public int readByte() throws IOException {
                return in.readUnsignedByte();
            }
        };
    }
}
