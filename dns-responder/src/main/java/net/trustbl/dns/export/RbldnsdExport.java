package net.trustbl.dns.export;

import java.io.IOException;
import java.io.Writer;

import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ZoneIndex;
import net.trustbl.dns.index.ZoneSnapshot;

/**
 * Writes listings in rbldnsd formats for operators who run rbldnsd: {@code ip4set} (IPv4) and
 * {@code ip6trie} (IPv6). The first line sets the default answer {@code :127.0.0.2:<template>}
 * (rbldnsd replaces {@code $} with the queried IP); entries with another return code carry their
 * own {@code :127.0.0.N:<template>}; exclusions are written with {@code !}.
 */
public final class RbldnsdExport {

    private RbldnsdExport() {
    }

    /** Which rbldnsd dataset to write. */
    public enum Format { IP4SET, IP6TRIE }

    /** Writes the IPv4 ({@code IP4SET}) or IPv6 ({@code IP6TRIE}) part of the snapshot; returns the entry count. */
    public static int write(Writer out, ZoneSnapshot snapshot, String txtTemplate, Format format) throws IOException {
        return write(out, snapshot.index(), txtTemplate, format);
    }

    public static int write(Writer out, ZoneIndex index, String txtTemplate, Format format) throws IOException {
        return write(out, index, txtTemplate, format, 0);
    }

    /**
     * As above with the answers in {@code 127.0.<answerNet>.x}: 0 for the list, 10 for the allow
     * zone of trusted senders ({@code ZoneRecords.ALLOW_NET}).
     */
    public static int write(Writer out, ZoneIndex index, String txtTemplate, Format format, int answerNet) throws IOException {
        String text = sanitize(txtTemplate);
        boolean v6 = format == Format.IP6TRIE;
        String net = "127.0." + answerNet + ".";
        out.write("# TrustBL " + (answerNet == 0 ? "listings" : "trusted senders (allow zone)") + ", rbldnsd "
                + (v6 ? "ip6trie" : "ip4set") + " dataset\n");
        out.write(":" + net + "2:" + text + "\n");
        if (!v6) {
            // RFC 5782 test points
            out.write("127.0.0.2\n");
        } else {
            out.write("::ffff:7f00:2\n");
        }
        int[] count = {0};
        IOException[] failure = {null};
        StringBuilder line = new StringBuilder(96);
        index.forEach((isV6, hi, lo, prefix, code, score) -> {
            if (isV6 != v6 || failure[0] != null) {
                return;
            }
            line.setLength(0);
            if (code < 0) {
                line.append('!');
            }
            line.append(new Ip.Block(isV6, hi, lo, prefix));
            if (v6 && prefix == 128) {
                line.append("/128");
            }
            if (code > 0 && code != 2) {
                line.append(" :").append(net).append(code).append(':').append(text);
            }
            line.append('\n');
            try {
                out.write(line.toString());
                count[0]++;
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        out.flush();
        return count[0];
    }

    /** Line breaks would end the rbldnsd line early; keep printable ASCII only. */
    static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
