package net.trustbl.gateway.filter;

import java.util.List;
import java.util.Locale;

/**
 * Archive and container formats, recognised by their magic bytes first and by the file name
 * second: a zip named {@code report.pdf} is still a zip, and a {@code docs.zip} that is not one
 * is a damaged archive, not a harmless file. Zip, gzip and tar are opened; the others are only
 * recognised, and pass unopened only when the operator lists them.
 */
enum ArchiveFormat {
    ZIP("zip", "zip", "zipx"),
    GZIP("gzip", "gz", "tgz"),
    TAR("tar", "tar"),
    SEVEN_ZIP("7z", "7z"),
    RAR("rar", "rar"),
    BZIP2("bzip2", "bz2", "tbz", "tbz2"),
    XZ("xz", "xz", "txz", "lzma"),
    ZSTD("zstd", "zst"),
    CAB("cab", "cab"),
    ISO("iso", "iso"),
    ARJ("arj", "arj"),
    LZH("lzh", "lzh", "lha"),
    ACE("ace", "ace");

    /** Bytes to look at for a magic number (ISO 9660 keeps its mark at 32769). */
    static final int SNIFF_BYTES = 32_774;

    /** The name used in configuration ({@code gateway.attachments.pass-uninspected-formats}) and replies. */
    final String label;
    private final List<String> extensions;

    ArchiveFormat(String label, String... extensions) {
        this.label = label;
        this.extensions = List.of(extensions);
    }

    static ArchiveFormat byLabel(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        for (ArchiveFormat f : values()) {
            if (f.label.equals(l)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown archive format " + label);
    }

    /** The format of the content (head holds its first {@code length} bytes), else of a name, else null. */
    static ArchiveFormat detect(byte[] head, int length, List<String> names) {
        ArchiveFormat byMagic = byMagic(head, length);
        if (byMagic != null) {
            return byMagic;
        }
        for (String name : names) {
            ArchiveFormat byName = byName(name);
            if (byName != null) {
                return byName;
            }
        }
        return null;
    }

    static ArchiveFormat byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replaceAll("[.\\s]+$", "");
        int dot = n.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String ext = n.substring(dot + 1);
        for (ArchiveFormat f : values()) {
            if (f.extensions.contains(ext)) {
                return f;
            }
        }
        return null;
    }

    static ArchiveFormat byMagic(byte[] b, int n) {
        if (at(b, n, 0, 'P', 'K', 3, 4) || at(b, n, 0, 'P', 'K', 5, 6) || at(b, n, 0, 'P', 'K', 7, 8)) {
            return ZIP;
        }
        if (at(b, n, 0, 0x1f, 0x8b, 8)) {
            return GZIP;
        }
        if (at(b, n, 257, 'u', 's', 't', 'a', 'r')) {
            return TAR;
        }
        if (at(b, n, 0, '7', 'z', 0xbc, 0xaf, 0x27, 0x1c)) {
            return SEVEN_ZIP;
        }
        if (at(b, n, 0, 'R', 'a', 'r', '!', 0x1a, 0x07)) {
            return RAR;
        }
        // "BZh", block size digit, then the block magic (pi): plain text starting "BZh" is no archive
        if (at(b, n, 0, 'B', 'Z', 'h') && at(b, n, 4, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59)) {
            return BZIP2;
        }
        if (at(b, n, 0, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            return XZ;
        }
        if (at(b, n, 0, 0x28, 0xb5, 0x2f, 0xfd)) {
            return ZSTD;
        }
        if (at(b, n, 0, 'M', 'S', 'C', 'F', 0, 0, 0, 0)) {
            return CAB;
        }
        if (at(b, n, 32_769, 'C', 'D', '0', '0', '1')) {
            return ISO;
        }
        return null;
    }

    private static boolean at(byte[] b, int n, int offset, int... expected) {
        if (offset + expected.length > n) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[offset + i] & 0xff) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
