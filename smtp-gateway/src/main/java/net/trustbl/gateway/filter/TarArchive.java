package net.trustbl.gateway.filter;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tar archive (v7, ustar, GNU long names, pax path records), walked header by header. Every
 * header's checksum is verified and every entry must lie inside the file; the names an unpacker
 * would use (the header name, the ustar prefix, a GNU long name, a pax {@code path}) are all
 * handed to the visitor.
 */
final class TarArchive {

    private static final int BLOCK = 512;

    /** Looks at one member: its names and its content; returns what was found blocked, or null. */
    interface Visitor {
        String visit(List<String> names, InputStream content) throws Uninspectable;
    }

    private TarArchive() {
    }

    static String walk(byte[] tar, ScanBudget budget, Visitor visitor) throws Uninspectable {
        String longName = null;
        String paxPath = null;
        int p = 0;
        while (p + BLOCK <= tar.length) {
            if (zeros(tar, p, BLOCK)) {
                return null;
            }
            checkSum(tar, p);
            budget.entries(1);
            long size = octal(tar, p + 124, 12);
            int data = p + BLOCK;
            if (size > tar.length - data) {
                throw new Uninspectable("damaged tar archive (entry runs past the end)");
            }
            char type = (char) tar[p + 156];
            if (type == 'L') {
                longName = cString(tar, data, (int) size);
            } else if (type == 'x') {
                paxPath = paxPath(tar, data, (int) size);
            } else if (type == 'S') {
                throw new Uninspectable("sparse tar entry");
            } else if (type != 'g' && type != 'K') {
                String found = visitor.visit(names(tar, p, longName, paxPath), new ByteArrayInputStream(tar, data, (int) size));
                if (found != null) {
                    return found;
                }
                longName = null;
                paxPath = null;
            }
            p = data + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
        }
        if (p != tar.length) {
            throw new Uninspectable("damaged tar archive (truncated header)");
        }
        return null;
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
