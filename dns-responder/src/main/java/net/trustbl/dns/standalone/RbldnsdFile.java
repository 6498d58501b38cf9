package net.trustbl.dns.standalone;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.Ip;

/**
 * Reads rbldnsd {@code ip4set} and {@code ip6trie} data into an {@link IndexBuilder}. Understood:
 * {@code # comments}, {@code $TTL}/{@code $SOA}/{@code $NS} lines (ignored: the responder's own
 * settings apply), a default value line {@code :127.0.0.N:text}, IPv4 entries in every form of
 * {@link Ip4Range} (addresses, CIDR, abbreviated networks, full and abbreviated ranges), IPv6
 * {@code prefix/len}, per-entry {@code :N:} or {@code :127.0.0.N:} values and {@code !} exclusions.
 * The TXT text of the file is not used: the configured template applies. Bad lines are skipped,
 * counted and reported with their line numbers ({@link Stats#rejected()}).
 */
public final class RbldnsdFile {

    /** At most this many rejected lines are kept with their text (all are counted). */
    static final int REJECTED_KEPT = 20;

    /**
     * Lines read, entries added (CIDR blocks: a range may take several), lines skipped as malformed,
     * and the first {@link #REJECTED_KEPT} of those as {@code file:line: 'text': reason}.
     */
    public record Stats(long lines, long entries, long skipped, List<String> rejected) {
    }

    private RbldnsdFile() {
    }

    public static Stats load(Path file, IndexBuilder into) throws IOException {
        long lines = 0;
        long entries = 0;
        long skipped = 0;
        int defaultCode = 2;
        List<String> rejected = new ArrayList<>();
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
                    if (rejected.size() < REJECTED_KEPT) {
                        rejected.add(file.getFileName() + ":" + lines + ": '" + line.strip() + "': " + e.getMessage());
                    }
                }
            }
        }
        return new Stats(lines, entries, skipped, List.copyOf(rejected));
    }

    private static int add(String token, int code, IndexBuilder into) {
        if (token.indexOf(':') < 0) {
            long single = Ip.parseV4(token); // the common line, parsed without allocating
            if (single >= 0) {
                into.addV4((int) single, 32, code, 1f);
                return 1;
            }
            long[] range = Ip4Range.parse(token);
            return addRange(range[0], range[1], code, into);
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
