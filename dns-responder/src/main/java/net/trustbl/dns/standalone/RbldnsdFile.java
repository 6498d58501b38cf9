package net.trustbl.dns.standalone;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.Ip;

/**
 * Reads rbldnsd {@code ip4set} and {@code ip6trie} data into an {@link IndexBuilder}. Understood:
 * {@code # comments}, {@code $TTL}/{@code $SOA}/{@code $NS} lines (ignored: the responder's own
 * settings apply), a default value line {@code :127.0.0.N:text}, entries {@code a.b.c.d},
 * {@code a.b.c.d/len}, abbreviated {@code a.b.c} (= /24), ranges {@code a.b.c.d-e.f.g.h}, IPv6
 * {@code prefix/len}, per-entry {@code :N:} or {@code :127.0.0.N:} values and {@code !} exclusions.
 * The TXT text of the file is not used: the configured template applies. Bad lines are counted
 * and skipped.
 */
public final class RbldnsdFile {

    /** Lines read, entries added, lines skipped as malformed. */
    public record Stats(long lines, long entries, long skipped) {
    }

    private RbldnsdFile() {
    }

    public static Stats load(Path file, IndexBuilder into) throws IOException {
        long lines = 0;
        long entries = 0;
        long skipped = 0;
        int defaultCode = 2;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                lines++;
                int n = line.length();
                int i = 0;
                while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                    i++;
                }
                if (i == n) {
                    continue;
                }
                char c0 = line.charAt(i);
                if (c0 == '#' || c0 == '$') {
                    continue;
                }
                if (c0 == ':') {
                    int code = valueCode(line, i);
                    if (code > 0) {
                        defaultCode = code;
                    }
                    continue;
                }
                boolean exclude = false;
                if (c0 == '!') {
                    exclude = true;
                    i++;
                }
                int end = i;
                while (end < n && line.charAt(end) != ' ' && line.charAt(end) != '\t' && line.charAt(end) != ':') {
                    end++;
                }
                // IPv6 entries contain ':' themselves: take up to whitespace instead
                if (end < n && line.charAt(end) == ':') {
                    end = i;
                    while (end < n && line.charAt(end) != ' ' && line.charAt(end) != '\t') {
                        end++;
                    }
                }
                String token = line.substring(i, end);
                int code = defaultCode;
                int rest = end;
                while (rest < n && (line.charAt(rest) == ' ' || line.charAt(rest) == '\t')) {
                    rest++;
                }
                if (rest < n && line.charAt(rest) == ':') {
                    int v = valueCode(line, rest);
                    if (v > 0) {
                        code = v;
                    }
                }
                if (exclude) {
                    code = -1;
                }
                try {
                    entries += add(token, code, into);
                } catch (IllegalArgumentException e) {
                    skipped++;
                }
            }
        }
        return new Stats(lines, entries, skipped);
    }

    private static int add(String token, int code, IndexBuilder into) {
        int dash = token.indexOf('-');
        if (dash > 0 && token.indexOf(':') < 0) {
            long a = Ip.parseV4(token.substring(0, dash));
            long b = Ip.parseV4(token.substring(dash + 1));
            if (a < 0 || b < 0 || b < a) {
                throw new IllegalArgumentException("bad range");
            }
            return addRange(a, b, code, into);
        }
        if (token.indexOf(':') < 0 && token.indexOf('/') < 0) {
            long v = Ip.parseV4(token);
            if (v >= 0) {
                into.addV4((int) v, 32, code, 1f);
                return 1;
            }
            // abbreviated network: "10" = /8, "10.1" = /16, "10.1.2" = /24
            String[] parts = token.split("\\.");
            if (parts.length < 1 || parts.length > 3) {
                throw new IllegalArgumentException("bad address");
            }
            StringBuilder sb = new StringBuilder(token);
            for (int k = parts.length; k < 4; k++) {
                sb.append(".0");
            }
            long net = Ip.parseV4(sb);
            if (net < 0) {
                throw new IllegalArgumentException("bad address");
            }
            into.addV4((int) net, parts.length * 8, code, 1f);
            return 1;
        }
        into.add(Ip.parseBlock(token), code, 1f);
        return 1;
    }

    /** Splits an inclusive IPv4 range into CIDR blocks. */
    private static int addRange(long a, long b, int code, IndexBuilder into) {
        int n = 0;
        while (a <= b) {
            int size = Long.numberOfTrailingZeros(a | (1L << 32));
            while (size > 0 && a + (1L << size) - 1 > b) {
                size--;
            }
            into.addV4((int) a, 32 - size, code, 1f);
            a += 1L << size;
            n++;
        }
        return n;
    }

    /** The return code of a {@code :value:text} field: {@code :3:}, {@code :127.0.0.3:}; 0 if none. */
    static int valueCode(String line, int colon) {
        int end = line.indexOf(':', colon + 1);
        String v = (end < 0 ? line.substring(colon + 1) : line.substring(colon + 1, end)).trim();
        if (v.isEmpty()) {
            return 0;
        }
        int dot = v.lastIndexOf('.');
        String last = dot >= 0 ? v.substring(dot + 1) : v;
        try {
            int c = Integer.parseInt(last);
            return c >= 1 && c <= 255 ? c : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
