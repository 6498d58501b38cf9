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

/**
 * A zip attachment bigger than {@code threshold} (gateway.limits.spool-threshold) is decoded into a
 * private file in the message spool and mapped, so its central directory and entries are read from
 * there and the archive is never held in heap; smaller ones are read in memory. The file is deleted
 * when the scan ends (a crash leaves it to the spool's cleanup at start: same name pattern).
 */
final class ZipSpill {

    private final Path dir;
    private final int threshold;

    ZipSpill(Path dir, long threshold) {
        this.dir = dir;
        this.threshold = (int) Math.min(threshold, Integer.MAX_VALUE - 8);
    }

    /** Inspects the decoded zip part read from {@code content}. */
    String inspect(InputStream content, ArchiveInspector archives, ScanBudget budget) throws IOException, Uninspectable {
        byte[] head = content.readNBytes(threshold + 1);
        if (head.length <= threshold) {
            return archives.inspect(ArchiveFormat.ZIP, head, 1, budget);
        }
        Path file = Files.createTempFile(dir, "msg-", ".spool",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(head);
                content.transferTo(out);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                if (channel.size() > Integer.MAX_VALUE) {
                    throw new Uninspectable("zip archive over 2 GiB");
                }
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
                return archives.inspectZip(mapped, budget);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
