package net.trustbl.gateway.filter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tar archive (v7, ustar, GNU long names, pax path records), walked header by header as a
 * stream: only one 512-byte header and the entry being looked at are read at a time, so a big tar
 * (or tar.gz) attachment is never held in heap. Every header's checksum is verified and every
 * entry must lie inside the archive; the names an unpacker would use (the header name, the ustar
 * prefix, a GNU long name, a pax {@code path}) are all handed to the visitor. Bytes an entry's
 * visitor leaves unread are skipped (a tar nested in an archive reads from a stream that counts
 * them against the decompression budget, see {@link ArchiveInspector}).
 */
final class TarArchive {

    private static final int BLOCK = 512;
    /** Longest GNU long name or pax header kept (they are names, read into memory). */
    private static final int MAX_META = 64 * 1024;

    /** Looks at one member: its names and its content; returns what was found blocked, or null. */
    interface Visitor {
        String visit(List<String> names, InputStream content) throws Uninspectable;
    }

    private TarArchive() {
    }

    static String walk(byte[] tar, ScanBudget budget, Visitor visitor) throws Uninspectable {
        return walk(new ByteArrayInputStream(tar), budget, visitor);
    }

    static String walk(InputStream tar, ScanBudget budget, Visitor visitor) throws Uninspectable {
        String longName = null;
        String paxPath = null;
        byte[] header = new byte[BLOCK];
        try {
            while (true) {
                int got = tar.readNBytes(header, 0, BLOCK);
                if (got == 0) {
                    return null; // the end, without the two zero blocks (as before: a whole number of blocks)
                }
                if (got < BLOCK) {
                    throw new Uninspectable("damaged tar archive (truncated header)");
                }
                if (zeros(header, 0, BLOCK)) {
                    return null;
                }
                checkSum(header, 0);
                budget.entries(1);
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                EntryStream content = new EntryStream(tar, size);
                if (type == 'L') {
                    longName = cString(meta(content, size), 0, (int) size);
                } else if (type == 'x') {
                    byte[] pax = meta(content, size);
                    paxPath = paxPath(pax, 0, pax.length);
                } else if (type == 'S') {
                    throw new Uninspectable("sparse tar entry");
                } else if (type != 'g' && type != 'K') {
                    String found = visitor.visit(names(header, 0, longName, paxPath), content);
                    if (found != null) {
                        return found;
                    }
                    longName = null;
                    paxPath = null;
                }
                content.skipRest();
                skipPadding(tar, size);
            }
        } catch (BudgetedStream.Spent e) {
            throw e.reason();
        } catch (IOException e) {
            throw new Uninspectable("damaged tar archive (" + e.getMessage() + ")");
        }
    }

    private static byte[] meta(EntryStream content, long size) throws IOException, Uninspectable {
        if (size > MAX_META) {
            throw new Uninspectable("tar name record larger than this scanner reads");
        }
        byte[] b = content.readNBytes((int) size);
        if (b.length < size) {
            throw new Uninspectable("damaged tar archive (entry runs past the end)");
        }
        return b;
    }

    private static void skipPadding(InputStream tar, long size) throws IOException, Uninspectable {
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (padding > 0 && tar.readNBytes(padding).length < padding) {
            throw new Uninspectable("damaged tar archive (entry runs past the end)");
        }
    }

    /**
     * One entry's content: at most its size, and an archive that ends before the size is damaged
     * (not a short file: an unpacker would fail on it, and what it hides was not seen).
     */
    private static final class EntryStream extends InputStream {
        private final InputStream tar;
        private long left;

        EntryStream(InputStream tar, long size) {
            this.tar = tar;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = tar.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("entry runs past the end");
            }
            left -= n;
            return n;
        }

        /** Reads what the visitor left, up to the next header. */
        void skipRest() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) > 0) {
                // discarded: only the names and nested archives matter
            }
        }

        @Override
        public void close() {
            // the archive stream stays open: the walk goes on with the next header
        }
    }

    private static List<String> names(byte[] tar, int p, String longName, String paxPath) {
        List<String> names = new ArrayList<>();
        String name = cString(tar, p, 100);
        boolean ustar = new String(tar, p + 257, 5, StandardCharsets.ISO_8859_1).equals("ustar");
        String prefix = ustar ? cString(tar, p + 345, 155) : "";
        names.add(prefix.isEmpty() ? name : prefix + "/" + name);
        if (longName != null) {
            names.add(longName);
        }
        if (paxPath != null) {
            names.add(paxPath);
        }
        return names;
    }

    /** The {@code path} of a pax extended header ("length key=value\n" records). */
    private static String paxPath(byte[] tar, int start, int size) throws Uninspectable {
        String records = new String(tar, start, size, StandardCharsets.UTF_8);
        String path = null;
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            int eq = record.indexOf('=');
            if (space < 0 || eq < space) {
                continue;
            }
            String key = record.substring(space + 1, eq);
            if (key.equals("path")) {
                path = record.substring(eq + 1);
            } else if (key.startsWith("GNU.sparse")) {
                throw new Uninspectable("sparse tar entry");
            }
        }
        return path;
    }

    private static void checkSum(byte[] tar, int p) throws Uninspectable {
        long expected = octal(tar, p + 148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : tar[p + i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (expected != unsigned && expected != signed) {
            throw new Uninspectable("damaged tar archive (header checksum)");
        }
    }

    private static long octal(byte[] tar, int start, int length) throws Uninspectable {
        if ((tar[start] & 0x80) != 0) {
            throw new Uninspectable("tar entry larger than this scanner reads");
        }
        String s = cString(tar, start, length).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new Uninspectable("damaged tar archive (number field)");
        }
    }

    private static String cString(byte[] b, int start, int length) {
        int end = start;
        while (end < start + length && b[end] != 0) {
            end++;
        }
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }

    private static boolean zeros(byte[] b, int start, int length) {
        for (int i = start; i < start + length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
