package net.trustbl.dns.server;

import static net.trustbl.dns.server.Wire.put16;
import static net.trustbl.dns.server.Wire.u16;

/**
 * Answers that carry no records: an error rcode (FORMERR, NOTAUTH, SERVFAIL) for a message we
 * cannot or will not answer fully, and the truncated answer of an RRL slip. Built from the raw
 * bytes, because the message may not parse.
 */
final class HeaderOnly {

    private HeaderOnly() {
    }

    /** The header (question copied when it parses) with {@code rcode}, or {@link Responder#DROP}. */
    static int answer(byte[] q, int len, byte[] out, int rcode, DnsMetrics.Stripe metrics) {
        if (len < 12 || (q[2] & 0x80) != 0) {
            metrics.dropped++;
            return Responder.DROP; // too short to carry an id, or a response: never answer those
        }
        out[0] = q[0];
        out[1] = q[1];
        // QR set, opcode copied, RD copied for QUERY only (it is defined for no other opcode)
        out[2] = (byte) (0x80 | (q[2] & 0x78) | ((q[2] & 0x78) == 0 ? q[2] & 0x01 : 0));
        out[3] = (byte) rcode;
        int o = 12;
        int qd = 0;
        if (u16(q, 4) == 1) {
            int p = 12;
            while (p < len && (q[p] & 255) != 0 && (q[p] & 0xC0) == 0) {
                p += (q[p] & 255) + 1;
            }
            if (p < len && q[p] == 0 && p + 5 <= len && p + 5 - 12 <= 260) {
                System.arraycopy(q, 12, out, 12, p + 5 - 12);
                o = p + 5;
                qd = 1;
            }
        }
        put16(out, 4, qd);
        put16(out, 6, 0);
        put16(out, 8, 0);
        put16(out, 10, 0);
        metrics.rcode(rcode);
        return o;
    }

    /** The same query answered with nothing but AA and TC set (RRL slip: a real client retries over TCP). */
    static int truncated(byte[] q, int len, byte[] out, DnsMetrics.Stripe metrics) {
        int n = answer(q, len, out, 0, metrics);
        if (n > 0) {
            out[2] |= 0x06;
        }
        return n;
    }
}
