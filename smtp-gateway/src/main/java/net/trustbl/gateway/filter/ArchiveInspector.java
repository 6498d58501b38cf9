package net.trustbl.gateway.filter;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Looks inside archives for blocked file names: zip (central directory and local headers, see
 * {@link ZipArchive}), gzip and tar are opened, and archives found inside them (by magic bytes or
 * name) are opened in turn down to the depth budget. Everything it cannot fully read raises
 * {@link Uninspectable}, so the caller can fail closed; formats it only recognises (7z, rar, …)
 * pass unopened only when listed in {@code passUnopened}.
 *
 * <p>Memory stays bounded at every depth: gzip and tar are read as streams (a header and a buffer
 * at a time); a zip, which needs its central directory, is copied to memory up to the spool
 * threshold and beyond it into a spool file ({@link ZipSpill}, counted in the spool's disk budget).
 */
final class ArchiveInspector {

    private static final int CHUNK = 64 * 1024;
    private static final int GZIP_FEXTRA = 4;
    private static final int GZIP_FNAME = 8;

    /** A gzip header up to the end of its file name: FEXTRA (at most 64 KiB) and a name. */
    private static final int GZIP_HEADER_MAX = 128 * 1024;

    private final Predicate<String> blockedName;
    private final Set<ArchiveFormat> passUnopened;
    /** Where a big zip is copied to be read; null: in memory (bounded by the decompression budget). */
    private final ZipSpill spill;

    ArchiveInspector(Predicate<String> blockedName, Set<ArchiveFormat> passUnopened) {
        this(blockedName, passUnopened, null);
    }

    ArchiveInspector(Predicate<String> blockedName, Set<ArchiveFormat> passUnopened, ZipSpill spill) {
        this.blockedName = blockedName;
        this.passUnopened = passUnopened;
        this.spill = spill;
    }

    /**
     * The path to the first blocked name inside ("inner.zip containing run.exe"), or null when the
     * archive was read completely and holds nothing blocked. The outer archive is depth 1.
     */
    String inspect(ArchiveFormat format, byte[] data, int depth, ScanBudget budget) throws Uninspectable {
        if (format == ArchiveFormat.ZIP) {
            checkDepth(depth, budget);
            return zip(ZipArchive.read(data, budget), depth, budget);
        }
        return inspect(format, new ByteArrayInputStream(data), depth, budget);
    }

    /** As {@link #inspect(ArchiveFormat, byte[], int, ScanBudget)}, reading the archive from a stream. */
    String inspect(ArchiveFormat format, InputStream data, int depth, ScanBudget budget) throws Uninspectable {
        checkDepth(depth, budget);
        try {
            return switch (format) {
                case ZIP -> spill != null ? spill.inspect(data, this, depth, budget)
                        : zip(ZipArchive.read(data.readAllBytes(), budget), depth, budget);
                case GZIP -> gzip(data, depth, budget);
                case TAR -> TarArchive.walk(data, budget, (names, content) -> member(names, content, depth, budget));
                default -> opaque(format);
            };
        } catch (BudgetedStream.Spent e) {
            throw e.reason();
        } catch (IOException e) {
            throw new Uninspectable("damaged " + format.label + " archive");
        }
    }

    private static void checkDepth(int depth, ScanBudget budget) throws Uninspectable {
        if (depth > budget.maxDepth) {
            throw new Uninspectable("archives nested more than " + budget.maxDepth + " deep");
        }
        budget.checkDeadline();
    }

    /** A zip kept in a file (a big attachment or member), mapped: its directory is read from the file, not heap. */
    String inspectZip(ByteBuffer mapped, int depth, ScanBudget budget) throws Uninspectable {
        checkDepth(depth, budget);
        return zip(ZipArchive.read(mapped, budget), depth, budget);
    }

    private String zip(ZipArchive zip, int depth, ScanBudget budget) throws Uninspectable {
        List<ZipArchive.Entry> entries = zip.entries();
        // every name first: a blocked name is reported whatever the entries before it contain
        for (ZipArchive.Entry e : entries) {
            String blocked = firstBlocked(e.names());
            if (blocked != null) {
                return blocked;
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            try (InputStream content = zip.open(i)) {
                String found = member(entries.get(i).names(), content, depth, budget);
                if (found != null) {
                    return found;
                }
            } catch (IOException e) {
                throw new Uninspectable("damaged compressed data in " + baseName(entries.get(i).names().get(0)));
            }
        }
        return null;
    }

    private String gzip(InputStream data, int depth, ScanBudget budget) throws Uninspectable, IOException {
        // the header is looked at for the file name, then read again by the inflater
        BufferedInputStream in = new BufferedInputStream(data, 8192);
        in.mark(GZIP_HEADER_MAX);
        String name = gzipFileName(in.readNBytes(GZIP_HEADER_MAX));
        in.reset();
        try (InputStream content = new GZIPInputStream(in)) {
            return member(List.of(name), content, depth, budget);
        }
    }

    private String opaque(ArchiveFormat format) throws Uninspectable {
        if (passUnopened.contains(format)) {
            return null;
        }
        throw new Uninspectable(format.label + " archives are not opened here");
    }

    /** One file inside an archive: its names, then its content if that is an archive itself. */
    private String member(List<String> names, InputStream content, int depth, ScanBudget budget) throws Uninspectable {
        String blocked = firstBlocked(names);
        if (blocked != null) {
            return blocked;
        }
        if (names.get(0).endsWith("/")) {
            return null;
        }
        try {
            byte[] head = read(content, ArchiveFormat.SNIFF_BYTES, budget);
            ArchiveFormat inner = ArchiveFormat.detect(head, head.length, names);
            if (inner == null) {
                return null;
            }
            // streamed on (gzip, tar) or copied (zip), every further byte counted as it is decompressed
            InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), new BudgetedStream(content, budget));
            String found = inspect(inner, whole, depth + 1, budget);
            String label = names.get(0).isEmpty() ? "its content" : baseName(names.get(0));
            return found == null ? null : label + " containing " + found;
        } catch (BudgetedStream.Spent e) {
            throw e.reason();
        } catch (IOException e) {
            String name = names.get(0);
            throw new Uninspectable("damaged compressed data" + (name.isEmpty() ? "" : " in " + baseName(name)));
        }
    }

    private String firstBlocked(List<String> names) {
        for (String name : names) {
            // unpackers written in C stop a name at its first NUL: "run.exe\0.txt" is run.exe
            int nul = name.indexOf('\0');
            for (String n : nul < 0 ? List.of(name) : List.of(name, name.substring(0, nul))) {
                if (blockedName.test(baseName(n))) {
                    return baseName(n);
                }
            }
        }
        return null;
    }

    /** Up to max bytes of the stream, every byte counted against the decompression budget. */
    private static byte[] read(InputStream in, int max, ScanBudget budget) throws IOException, Uninspectable {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[CHUNK];
        int n;
        while (out.size() < max && (n = in.read(buffer, 0, Math.min(buffer.length, max - out.size()))) > 0) {
            budget.inflated(n);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The original file name (FNAME) of a gzip member, "" when it has none. */
    private static String gzipFileName(byte[] gz) throws Uninspectable {
        try {
            int flags = gz[3];
            int p = 10;
            if ((flags & GZIP_FEXTRA) != 0) {
                p += 2 + ((gz[p] & 0xff) | (gz[p + 1] & 0xff) << 8);
            }
            if ((flags & GZIP_FNAME) == 0) {
                return "";
            }
            int end = p;
            while (gz[end] != 0) {
                end++;
            }
            return new String(gz, p, end - p, StandardCharsets.ISO_8859_1);
        } catch (IndexOutOfBoundsException e) {
            throw new Uninspectable("damaged gzip header");
        }
    }

    static String baseName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    }
}
