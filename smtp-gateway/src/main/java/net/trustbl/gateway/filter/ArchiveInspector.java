package net.trustbl.gateway.filter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 */
final class ArchiveInspector {

    private static final int CHUNK = 64 * 1024;
    private static final int GZIP_FEXTRA = 4;
    private static final int GZIP_FNAME = 8;

    private final Predicate<String> blockedName;
    private final Set<ArchiveFormat> passUnopened;

    ArchiveInspector(Predicate<String> blockedName, Set<ArchiveFormat> passUnopened) {
        this.blockedName = blockedName;
        this.passUnopened = passUnopened;
    }

    /**
     * The path to the first blocked name inside ("inner.zip containing run.exe"), or null when the
     * archive was read completely and holds nothing blocked. The outer archive is depth 1.
     */
    String inspect(ArchiveFormat format, byte[] data, int depth, ScanBudget budget) throws Uninspectable {
        if (depth > budget.maxDepth) {
            throw new Uninspectable("archives nested more than " + budget.maxDepth + " deep");
        }
        budget.checkDeadline();
        return switch (format) {
            case ZIP -> zip(ZipArchive.read(data, budget), depth, budget);
            case GZIP -> gzip(data, depth, budget);
            case TAR -> TarArchive.walk(data, budget, (names, content) -> member(names, content, depth, budget));
            default -> opaque(format);
        };
    }

    /** An outer zip kept in a file (a big attachment), mapped: its directory is read from the file, not heap. */
    String inspectZip(ByteBuffer mapped, ScanBudget budget) throws Uninspectable {
        if (budget.maxDepth < 1) {
            throw new Uninspectable("archives nested more than " + budget.maxDepth + " deep");
        }
        budget.checkDeadline();
        return zip(ZipArchive.read(mapped, budget), 1, budget);
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

    private String gzip(byte[] data, int depth, ScanBudget budget) throws Uninspectable {
        String name = gzipFileName(data);
        try (InputStream content = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return member(List.of(name), content, depth, budget);
        } catch (IOException e) {
            throw new Uninspectable("damaged gzip data");
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
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(head);
            all.writeBytes(read(content, Integer.MAX_VALUE, budget));
            String found = inspect(inner, all.toByteArray(), depth + 1, budget);
            String label = names.get(0).isEmpty() ? "its content" : baseName(names.get(0));
            return found == null ? null : label + " containing " + found;
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
