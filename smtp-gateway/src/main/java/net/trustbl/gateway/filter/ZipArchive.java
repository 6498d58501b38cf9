package net.trustbl.gateway.filter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A zip archive read the way a careful extractor reads it: from the end-of-central-directory
 * record through the central directory to every local header, and every byte of the file
 * accounted for. Mail clients and unpackers disagree about zips (some trust the central
 * directory, some stream the local headers), so anything on which two of them could disagree is
 * {@link Uninspectable}: differing names, methods or sizes, data before, between or after the
 * entries, encryption, compression other than stored and deflated, spanned archives.
 */
final class ZipArchive {

    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int END64 = 0x06064b50;
    private static final int END64_LOCATOR = 0x07064b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final int FLAG_ENCRYPTED = 1;
    private static final int FLAG_DESCRIPTOR = 1 << 3;
    private static final int FLAG_STRONG_ENCRYPTION = 1 << 6;
    private static final int FLAG_UTF8 = 1 << 11;
    private static final int FLAG_MASKED_HEADERS = 1 << 13;
    private static final int EXTRA_ZIP64 = 0x0001;
    private static final int EXTRA_UNICODE_PATH = 0x7075;
    private static final int EXTRA_AES = 0x9901;
    private static final long U32 = 0xffffffffL;
    private static final Charset DOS = dosCharset();

    /** One entry as the central directory describes it; names holds every spelling an unpacker may show. */
    record Entry(List<String> names, int method, long compressedSize, long size, long localOffset,
                 int flags, byte[] rawName) {
    }

    /** The archive's bytes, in heap or mapped from a spool file; read with absolute gets only. */
    private final ByteBuffer zip;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Long> dataOffsets = new ArrayList<>();

    private ZipArchive(ByteBuffer zip) {
        this.zip = zip;
    }

    /** Reads and cross-checks the whole structure; the entries are then safe to name and open. */
    static ZipArchive read(byte[] zip, ScanBudget budget) throws Uninspectable {
        return read(ByteBuffer.wrap(zip), budget);
    }

    /** As {@link #read(byte[], ScanBudget)}, for an archive mapped from a file (never copied to heap). */
    static ZipArchive read(ByteBuffer zip, ScanBudget budget) throws Uninspectable {
        ZipArchive archive = new ZipArchive(zip);
        try {
            long[] directory = archive.findDirectory();
            budget.entries((int) Math.min(Integer.MAX_VALUE, directory[0]));
            archive.readCentralDirectory(directory[0], directory[1], directory[2]);
            archive.walkLocalHeaders(directory[1]);
        } catch (IndexOutOfBoundsException | ArithmeticException | IllegalArgumentException e) {
            throw new Uninspectable("damaged zip archive (a record points outside the file)");
        }
        return archive;
    }

    List<Entry> entries() {
        return entries;
    }

    /** The entry's content, decompressed as it is read. */
    InputStream open(int index) {
        Entry e = entries.get(index);
        int offset = (int) (long) dataOffsets.get(index);
        InputStream raw = new ByteBufferInputStream(zip.slice(offset, (int) Math.min(e.compressedSize(), zip.limit() - offset)));
        if (e.method() == 0) {
            return raw;
        }
        Inflater inflater = new Inflater(true);
        return new InflaterInputStream(raw, inflater) {
            @Override
            public void close() throws IOException {
                super.close();
                // a stream given its own Inflater leaves it to the cleaner; free the native memory now
                inflater.end();
            }
        };
    }

    /** {count, central directory offset, its size}; every byte after the directory is its end record. */
    private long[] findDirectory() throws Uninspectable {
        int end = -1;
        for (int p = zip.limit() - 22; p >= 0 && p >= zip.limit() - 22 - 0xffff; p--) {
            if (u32(p) == END && p + 22 + u16(p + 20) == zip.limit()) {
                end = p;
                break;
            }
        }
        if (end < 0) {
            throw new Uninspectable("damaged zip archive (no end of central directory)");
        }
        if (u16(end + 4) != 0 || u16(end + 6) != 0) {
            throw new Uninspectable("spanned zip archive");
        }
        long count = u16(end + 10);
        long size = u32(end + 12) & U32;
        long offset = u32(end + 16) & U32;
        long directoryEnd = end;
        int locator = end - 20;
        // Info-ZIP writes zip64 end records whenever it streams, not only when a field overflowed
        if (locator >= 0 && u32(locator) == END64_LOCATOR) {
            directoryEnd = u64(locator + 8);
            int e64 = Math.toIntExact(directoryEnd);
            if (u32(e64) != END64 || u32(e64 + 16) != 0 || u32(e64 + 20) != 0 || e64 + 12 + u64(e64 + 4) != locator) {
                throw new Uninspectable("damaged or spanned zip64 archive");
            }
            count = u64(e64 + 32);
            size = u64(e64 + 40);
            offset = u64(e64 + 48);
        } else if (count == 0xffff || size == U32 || offset == U32) {
            throw new Uninspectable("damaged zip64 archive (no locator)");
        }
        if (offset + size != directoryEnd) {
            throw new Uninspectable("zip central directory does not end at its end record");
        }
        return new long[] {count, offset, size};
    }

    private void readCentralDirectory(long count, long offset, long size) throws Uninspectable {
        int p = Math.toIntExact(offset);
        for (long i = 0; i < count; i++) {
            if (u32(p) != CENTRAL) {
                throw new Uninspectable("damaged zip central directory");
            }
            int flags = u16(p + 8);
            int method = u16(p + 10);
            long[] sizes = {u32(p + 24) & U32, u32(p + 20) & U32, u32(p + 42) & U32};
            int nameLength = u16(p + 28);
            int extraLength = u16(p + 30);
            int commentLength = u16(p + 32);
            if (u16(p + 34) != 0) {
                throw new Uninspectable("spanned zip archive");
            }
            byte[] rawName = bytes(p + 46, nameLength);
            List<String> names = new ArrayList<>(List.of(decodeName(rawName, flags)));
            readExtra(p + 46 + nameLength, extraLength, sizes, names);
            refuseUnreadable(names.get(0), flags, method);
            entries.add(new Entry(names, method, sizes[1], sizes[0], sizes[2], flags, rawName));
            p += 46 + nameLength + extraLength + commentLength;
        }
        if (p != offset + size) {
            throw new Uninspectable("zip central directory size does not match its entries");
        }
    }

    private static void refuseUnreadable(String name, int flags, int method) throws Uninspectable {
        if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) != 0 || method == 99) {
            throw new Uninspectable("encrypted zip entry " + name);
        }
        if (method != 0 && method != 8) {
            throw new Uninspectable("zip entry " + name + " uses unsupported compression method " + method);
        }
    }

    /** Zip64 sizes (only the fields that overflowed are present, in this order) and the Unicode path. */
    private void readExtra(int start, int length, long[] sizes, List<String> names) throws Uninspectable {
        int p = start;
        while (p + 4 <= start + length) {
            int id = u16(p);
            int size = u16(p + 2);
            if (p + 4 + size > start + length) {
                throw new Uninspectable("damaged zip extra field");
            }
            if (id == EXTRA_ZIP64) {
                int q = p + 4;
                for (int i = 0; i < sizes.length; i++) {
                    if (sizes[i] == U32) {
                        sizes[i] = u64(q);
                        q += 8;
                    }
                }
            } else if (id == EXTRA_UNICODE_PATH && size > 5) {
                // Info-ZIP unzip and 7-Zip show this name instead of the header's
                names.add(new String(bytes(p + 9, size - 5), StandardCharsets.UTF_8));
            } else if (id == EXTRA_AES) {
                throw new Uninspectable("encrypted zip entry " + names.get(0));
            }
            p += 4 + size;
        }
    }

    /**
     * Visits the local headers in file order: each must repeat its central entry's name and method,
     * and its data (plus data descriptor) must end exactly where the next entry, or the central
     * directory, begins. Nothing hides in gaps, and no streaming unpacker sees a different file.
     */
    private void walkLocalHeaders(long directoryOffset) throws Uninspectable {
        Integer[] order = new Integer[entries.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            dataOffsets.add(0L);
        }
        Arrays.sort(order, Comparator.comparingLong(i -> entries.get(i).localOffset()));
        long expected = 0;
        for (int k = 0; k < order.length; k++) {
            Entry e = entries.get(order[k]);
            String name = e.names().get(0);
            if (e.localOffset() != expected) {
                throw new Uninspectable("zip archive has unlisted data before entry " + name);
            }
            int p = Math.toIntExact(e.localOffset());
            if (u32(p) != LOCAL) {
                throw new Uninspectable("damaged zip local header for " + name);
            }
            checkLocalHeader(p, e);
            long data = p + 30L + u16(p + 26) + u16(p + 28);
            dataOffsets.set(order[k], data);
            long next = k + 1 < order.length ? entries.get(order[k + 1]).localOffset() : directoryOffset;
            long gap = next - (data + e.compressedSize());
            boolean fits = (e.flags() & FLAG_DESCRIPTOR) == 0 ? gap == 0 : descriptorFits(data + e.compressedSize(), gap);
            if (!fits) {
                throw new Uninspectable("zip entry " + name + " does not end where the next record begins");
            }
            expected = next;
        }
        if (expected != directoryOffset) {
            throw new Uninspectable("zip archive has unlisted data before its central directory");
        }
    }

    private void checkLocalHeader(int p, Entry e) throws Uninspectable {
        String name = e.names().get(0);
        int flags = u16(p + 6);
        int nameLength = u16(p + 26);
        byte[] localName = bytes(p + 30, nameLength);
        if (!Arrays.equals(localName, e.rawName())) {
            throw new Uninspectable("zip local header names " + decodeName(localName, flags)
                    + " where the central directory names " + name);
        }
        if (u16(p + 8) != e.method() || (flags & (FLAG_ENCRYPTED | FLAG_DESCRIPTOR)) != (e.flags() & (FLAG_ENCRYPTED | FLAG_DESCRIPTOR))) {
            throw new Uninspectable("zip local header of " + name + " differs from the central directory");
        }
        long localSize = u32(p + 18) & U32;
        if ((flags & FLAG_DESCRIPTOR) == 0 && localSize != U32 && localSize != e.compressedSize()) {
            throw new Uninspectable("zip local header of " + name + " gives another size");
        }
        List<String> localNames = new ArrayList<>(List.of(name));
        readExtra(p + 30 + nameLength, u16(p + 28), new long[] {0, 0, 0}, localNames);
        for (String extra : localNames.subList(1, localNames.size())) {
            if (!e.names().contains(extra)) {
                e.names().add(extra);
            }
        }
    }

    /** A data descriptor is 12 or 20 (zip64) bytes, 16 or 24 with its optional signature. */
    private boolean descriptorFits(long at, long gap) {
        boolean signed = at + 4 <= zip.limit() && u32(Math.toIntExact(at)) == DESCRIPTOR;
        return signed ? gap == 16 || gap == 24 : gap == 12 || gap == 20;
    }

    private static String decodeName(byte[] raw, int flags) {
        return new String(raw, (flags & FLAG_UTF8) != 0 ? StandardCharsets.UTF_8 : DOS);
    }

    private static Charset dosCharset() {
        try {
            return Charset.forName("IBM437");
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    private byte[] bytes(int from, int length) {
        byte[] out = new byte[length];
        zip.get(from, out);
        return out;
    }

    private int u16(int p) {
        return (zip.get(p) & 0xff) | (zip.get(p + 1) & 0xff) << 8;
    }

    private int u32(int p) {
        return u16(p) | u16(p + 2) << 16;
    }

    private long u64(int p) {
        return (u32(p) & U32) | (long) u32(p + 4) << 32;
    }
}
