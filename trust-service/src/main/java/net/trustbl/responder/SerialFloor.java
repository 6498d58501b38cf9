package net.trustbl.responder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Keeps the DNS SOA serial from ever going back across restarts. The feed serial restarts from
 * {@code max(listing_change.serial) + 1}, and listing changes are written asynchronously, so after a
 * crash it can be lower than a serial secondaries already hold (they would then ignore us until
 * it caught up). The zone serial is therefore {@code feed serial + offset}: before any zone serial
 * above the reserved high-water mark is published, a new mark ({@link #STEP} ahead) is written and
 * fsynced to a small file; at start the offset is chosen so the first serial is above the mark.
 * One fsync per {@value #STEP} serials.
 */
final class SerialFloor {

    static final long STEP = 10_000;

    private final Path file;
    private long reserved;
    private long offset;
    private long last = -1;

    SerialFloor(Path file) {
        this.file = file;
        this.reserved = read(file);
    }

    private static long read(Path file) {
        try {
            if (!Files.exists(file)) {
                return -1;
            }
            String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? -1 : Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the DNS serial high-water mark " + file
                    + " (delete it only if no secondary holds this zone)", e);
        }
    }

    /** The zone serial for a snapshot's feed serial: above everything published before, now or in an earlier run. */
    synchronized long forSnapshot(long feedSerial) {
        long floor = Math.max(reserved, last) + 1;
        if (feedSerial + offset < floor) {
            offset = floor - feedSerial;
        }
        return reserve(feedSerial + offset);
    }

    /** The zone serial for a change batch's feed serial. */
    synchronized long forChange(long feedSerial) {
        long s = feedSerial + offset;
        if (s <= last) {
            offset += last + 1 - s; // the feed never goes back in one run; if it did, the zone still must not
            s = last + 1;
        }
        return reserve(s);
    }

    private long reserve(long serial) {
        if (serial > reserved) {
            write(serial + STEP);
            reserved = serial + STEP;
        }
        last = serial;
        return serial;
    }

    private void write(long mark) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap((mark + "\n").getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // not every file system lets a directory be synced
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the DNS serial high-water mark " + file, e);
        }
    }

    synchronized long reserved() {
        return reserved;
    }
}
