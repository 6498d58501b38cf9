package net.trustbl.gateway.filter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import net.trustbl.gateway.budget.InFlightBudget;

/**
 * A zip (an attachment, or a zip inside another archive) bigger than {@code threshold}
 * (gateway.limits.spool-threshold) is decoded into a private file in the message spool and mapped,
 * so its central directory and entries are read from there and the archive is never held in heap;
 * smaller ones are read in memory. The file's bytes count against the spool's disk budget
 * (gateway.limits.spool-bytes) as it grows; when the budget is spent the scan ends with
 * {@link NoRoom} and the message is deferred. The file is deleted when the scan ends (a crash
 * leaves it to the spool's cleanup at start: same name pattern).
 */
final class ZipSpill {

    /**
     * The spool's disk budget is spent: the message is deferred (452 4.3.1), not judged. Unchecked,
     * so that the archive readers' "damaged archive" handling of I/O errors does not swallow it.
     */
    static final class NoRoom extends RuntimeException {
        NoRoom() {
            super("message spool full", null, false, false);
        }
    }

    /** Disk reserved at a time, so that the shared counter is touched once per step, not per buffer. */
    private static final long DISK_STEP = 1024 * 1024;

    private final Path dir;
    private final int threshold;
    private final InFlightBudget disk;

    /** A spill with no disk budget of its own (tests). */
    ZipSpill(Path dir, long threshold) {
        this(dir, threshold, new InFlightBudget(Long.MAX_VALUE));
    }

    ZipSpill(Path dir, long threshold, InFlightBudget disk) {
        this.dir = dir;
        this.threshold = (int) Math.min(threshold, Integer.MAX_VALUE - 8);
        this.disk = disk;
    }

    /** Inspects the decoded zip read from {@code content}, found at {@code depth} (the attachment is 1). */
    String inspect(InputStream content, ArchiveInspector archives, int depth, ScanBudget budget) throws IOException, Uninspectable {
        byte[] head = content.readNBytes(threshold + 1);
        if (head.length <= threshold) {
            return archives.inspect(ArchiveFormat.ZIP, head, depth, budget);
        }
        Path file = Files.createTempFile(dir, "msg-", ".spool",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        long[] reserved = {0};
        try {
            copy(head, content, file, reserved);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                if (channel.size() > Integer.MAX_VALUE) {
                    throw new Uninspectable("zip archive over 2 GiB");
                }
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
                return archives.inspectZip(mapped, depth, budget);
            }
        } finally {
            Files.deleteIfExists(file);
            disk.release(reserved[0]);
        }
    }

    /** Writes the zip to the file, reserving disk ahead of it; {@code reserved[0]} says how much is held. */
    private void copy(byte[] head, InputStream content, Path file, long[] reserved) throws IOException {
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] piece = head;
            int n = head.length;
            while (n > 0) {
                if (written + n > reserved[0]) {
                    long step = Math.max(DISK_STEP, written + n - reserved[0]);
                    if (!disk.reserve(step)) {
                        throw new NoRoom();
                    }
                    reserved[0] += step;
                }
                out.write(piece, 0, n);
                written += n;
                piece = buffer;
                n = Math.max(0, content.read(buffer));
            }
        }
    }
}
