package net.trustbl.dns.server;

import static net.trustbl.dns.server.Wire.put16;
import static net.trustbl.dns.server.Wire.put32;
import static net.trustbl.dns.server.Wire.u16;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import net.trustbl.dns.index.CompiledView;
import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ZoneSnapshot;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The common DNSBL queries, A, TXT and ANY for an IP name under one of our zones (with or without
 * a member key, with or without EDNS0), parsed from and answered into byte arrays without
 * allocation. Anything it does not recognise exactly it leaves to {@link GeneralPath}
 * ({@link #NOT_HANDLED}), which must answer those queries the same way ({@code PathsAgreeTest}).
 * Owned by one thread: the parse state lives in fields between the steps.
 */
final class FastPath {

    /** "Not handled here": the general path answers. */
    static final int NOT_HANDLED = Integer.MIN_VALUE;

    private static final int MAX_LABELS = 40;

    private final ServerContext ctx;
    private final DnsMetrics.Stripe metrics;
    private final AnsweredLookup lookup;
    private final int listedTtl;
    private final int negativeTtl;
    private final int[] labelStart = new int[MAX_LABELS];
    private final byte[] ipText = new byte[64];
    private final byte[] txt = new byte[1024];
    private long soaSerial = Long.MIN_VALUE;
    private byte[] soaRdata;

    // the query being answered (set by parseQuestion and matchZone)
    private int flags;
    private int labels;
    private int qnameEnd;
    private int questionEnd;
    private int qtype;
    private boolean edns;
    private int udpSize;
    private int doBit;
    private int zoneLabels;
    private int zoneStart;
    private int zoneIndex;
    private int ipLen;

    FastPath(ServerContext ctx, DnsMetrics.Stripe metrics, AnsweredLookup lookup) {
        this.ctx = ctx;
        this.metrics = metrics;
        this.lookup = lookup;
        this.listedTtl = ctx.config.listedTtl();
        this.negativeTtl = ctx.config.negativeTtl();
    }

    /** Answers {@code q[0..len)} into {@code out} and returns the length, or {@link #NOT_HANDLED}. */
    int answer(byte[] q, int len, byte[] out, boolean tcp) {
        if (!ctx.freshness.servable() || !parseQuestion(q, len) || !matchZone(q)) {
            // (failing closed is the general path's: it keeps the RFC 5782 test points answering)
            return NOT_HANDLED;
        }
        ZoneSnapshot snap = ctx.zoneData[zoneIndex].snapshot();
        int code = lookUp(q, snap);
        if (code == NOT_HANDLED || (code > 0 && qtype != Type.A && ctx.zoneRecords[zoneIndex].template().maxLength(ipLen) > txt.length)) {
            return NOT_HANDLED; // (a TXT that cannot be rendered here: the general path builds it)
        }
        metrics.query(qtype);
        int o = header(q, out);
        int an = 0;
        int ns = 0;
        int rcode = Rcode.NOERROR;
        if (code > 0) {
            metrics.hits++;
            if (qtype == Type.A || qtype == Type.ANY) {
                o = writeA(out, o, code);
                an++;
            }
            if (qtype == Type.TXT || qtype == Type.ANY) {
                o = writeTxt(out, o);
                an++;
            }
        } else {
            rcode = Rcode.NXDOMAIN;
            o = writeSoa(out, o, snap.serial());
            ns = 1;
        }
        int limit = tcp ? 65535 : Math.min(edns ? udpSize : 512, ctx.config.maxUdpSize());
        if (o + (edns ? 11 : 0) > limit) {
            // does not fit: header and question only, TC set (RFC 1035 4.2.1 / RFC 6891 7)
            o = questionEnd;
            an = 0;
            ns = 0;
            out[2] |= 0x02;
        }
        out[3] = (byte) rcode;
        put16(out, 6, an);
        put16(out, 8, ns);
        put16(out, 10, edns ? 1 : 0);
        if (edns) {
            o = writeOpt(out, o);
        }
        metrics.rcode(rcode);
        return o;
    }

    /** One question of class IN and type A, TXT or ANY, at most an EDNS0 OPT besides. */
    private boolean parseQuestion(byte[] q, int len) {
        if (len < 17) {
            return false;
        }
        flags = q[2] & 255;
        if ((flags & 0xf8) != 0) { // QR set or opcode not QUERY
            return false;
        }
        int ar = u16(q, 10);
        if (u16(q, 4) != 1 || u16(q, 6) != 0 || u16(q, 8) != 0 || ar > 1) {
            return false;
        }
        int p = 12;
        labels = 0;
        while (true) {
            if (p >= len) {
                return false;
            }
            int l = q[p] & 255;
            if (l == 0) {
                p++;
                break;
            }
            if (l > 63 || labels == MAX_LABELS) {
                return false; // a compression pointer or too many labels
            }
            labelStart[labels++] = p;
            p += l + 1;
            if (p - 12 > 255) {
                return false;
            }
        }
        qnameEnd = p;
        if (p + 4 > len) {
            return false;
        }
        qtype = u16(q, p);
        int qclass = u16(q, p + 2);
        p += 4;
        questionEnd = p;
        edns = false;
        udpSize = 512;
        doBit = 0;
        if (ar == 1) {
            if (p + 11 > len || q[p] != 0 || u16(q, p + 1) != 41 || q[p + 6] != 0) {
                return false; // not an OPT, or EDNS version other than 0 (BADVERS from the general path)
            }
            udpSize = Math.max(512, u16(q, p + 3));
            doBit = q[p + 7] & 0x80;
            p += 11 + u16(q, p + 9);
            edns = true;
        }
        return p == len && qclass == DClass.IN && (qtype == Type.A || qtype == Type.TXT || qtype == Type.ANY);
    }

    /**
     * Which zone the name ends in, case-insensitive (length bytes are below 'A', so lower-casing
     * leaves them alone); a plain loop over the (usually 1-3) pre-encoded zone names.
     */
    private boolean matchZone(byte[] q) {
        byte[][] zws = ctx.zoneWire;
        int[] zls = ctx.zoneLabels;
        zones:
        for (int z = 0; z < zws.length; z++) {
            int l = zls[z];
            if (labels <= l) {
                continue;
            }
            int start = labelStart[labels - l];
            byte[] zw = zws[z];
            if (qnameEnd - start != zw.length) {
                continue;
            }
            for (int i = 0; i < zw.length; i++) {
                int b = q[start + i];
                if (b >= 'A' && b <= 'Z') {
                    b |= 0x20;
                }
                if (b != zw[i]) {
                    continue zones;
                }
            }
            zoneLabels = l;
            zoneStart = start;
            zoneIndex = z;
            return true;
        }
        return false;
    }

    /** The return code for the IP name (0 = not listed) and notes the lookup, or NOT_HANDLED. */
    private int lookUp(byte[] q, ZoneSnapshot snap) {
        int n = labels - zoneLabels;
        CompiledView view = null;
        if (n == 5 || n == 33) {
            view = view(snap, q, labelStart[n - 1]);
            if (view == null) {
                return NOT_HANDLED; // an unknown key (REFUSED) or no views at all
            }
        }
        int code;
        if (n == 4 || n == 5) {
            code = lookUpV4(q, snap, view);
        } else if (n == 32 || n == 33) {
            code = lookUpV6(q, snap, view);
        } else {
            return NOT_HANDLED;
        }
        if (code != NOT_HANDLED && view != null) {
            lookup.key(view.key());
        }
        return code;
    }

    private int lookUpV4(byte[] q, ZoneSnapshot snap, CompiledView view) {
        int ip = 0;
        int t = 0;
        for (int i = 3; i >= 0; i--) {
            int s = labelStart[i];
            int l = q[s] & 255;
            if (l > 3 || (l > 1 && q[s + 1] == '0')) {
                return NOT_HANDLED;
            }
            int v = 0;
            for (int k = 1; k <= l; k++) {
                int c = q[s + k] - '0';
                if (c < 0 || c > 9) {
                    return NOT_HANDLED;
                }
                v = v * 10 + c;
                ipText[t++] = q[s + k];
            }
            if (v > 255) {
                return NOT_HANDLED;
            }
            if (i > 0) {
                ipText[t++] = '.';
            }
            ip = (ip << 8) | v;
        }
        ipLen = t;
        lookup.v4(ip);
        return snap.codeV4(ip, view);
    }

    private int lookUpV6(byte[] q, ZoneSnapshot snap, CompiledView view) {
        long hi = 0;
        long lo = 0;
        for (int i = 31; i >= 0; i--) {
            int s = labelStart[i];
            int d = q[s] == 1 ? Character.digit(q[s + 1], 16) : -1;
            if (d < 0) {
                return NOT_HANDLED;
            }
            if (i >= 16) {
                hi = (hi << 4) | d;
            } else {
                lo = (lo << 4) | d;
            }
        }
        lookup.v6(hi, lo);
        int code = snap.codeV6(hi, lo, view);
        ipLen = 0;
        if (code > 0 && qtype != Type.A) {
            // only a listed TXT needs the text form (the one allocation left here)
            byte[] t = Ip.formatV6(hi, lo).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(t, 0, ipText, 0, t.length);
            ipLen = t.length;
        }
        return code;
    }

    private CompiledView view(ZoneSnapshot snap, byte[] q, int labelOffset) {
        if (!snap.hasViews()) {
            return null;
        }
        int l = q[labelOffset] & 255;
        String key = new String(q, labelOffset + 1, l, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return snap.view(key);
    }

    /** Header flags and the question copied; returns where the answer starts. */
    private int header(byte[] q, byte[] out) {
        out[0] = q[0];
        out[1] = q[1];
        out[2] = (byte) (0x84 | (flags & 0x01)); // QR, AA, RD copied
        System.arraycopy(q, 4, out, 4, 2); // QDCOUNT = 1
        System.arraycopy(q, 12, out, 12, questionEnd - 12);
        return questionEnd;
    }

    private int writeA(byte[] out, int o, int code) {
        out[o] = (byte) 0xC0; // the owner: a pointer to the question name
        out[o + 1] = 12;
        put16(out, o + 2, Type.A);
        put16(out, o + 4, DClass.IN);
        put32(out, o + 6, listedTtl);
        put16(out, o + 10, 4);
        out[o + 12] = 127;
        out[o + 13] = 0;
        out[o + 14] = (byte) ctx.zoneRecords[zoneIndex].answerNet(); // 127.0.0.x listed, 127.0.10.x trusted
        out[o + 15] = (byte) code;
        return o + 16;
    }

    /** The TXT of the template with the queried address, in 255-byte character strings. */
    private int writeTxt(byte[] out, int o) {
        int tl = ctx.zoneRecords[zoneIndex].template().render(ipText, 0, ipLen, txt, 0);
        int chunks = tl == 0 ? 1 : (tl + 254) / 255;
        out[o] = (byte) 0xC0;
        out[o + 1] = 12;
        put16(out, o + 2, Type.TXT);
        put16(out, o + 4, DClass.IN);
        put32(out, o + 6, listedTtl);
        put16(out, o + 10, tl + chunks);
        o += 12;
        int done = 0;
        do {
            int c = Math.min(255, tl - done);
            out[o++] = (byte) c;
            System.arraycopy(txt, done, out, o, c);
            o += c;
            done += c;
        } while (done < tl);
        return o;
    }

    /** The zone's SOA in the authority section (negative caching, RFC 2308). */
    private int writeSoa(byte[] out, int o, long serial) {
        byte[] rdata = soaRdata(serial);
        put16(out, o, 0xC000 | zoneStart); // the owner: a pointer to the zone inside the question name
        put16(out, o + 2, Type.SOA);
        put16(out, o + 4, DClass.IN);
        put32(out, o + 6, negativeTtl);
        put16(out, o + 10, rdata.length);
        System.arraycopy(rdata, 0, out, o + 12, rdata.length);
        return o + 12 + rdata.length;
    }

    private int writeOpt(byte[] out, int o) {
        out[o] = 0;
        put16(out, o + 1, 41);
        put16(out, o + 3, ctx.config.maxUdpSize());
        out[o + 5] = 0;
        out[o + 6] = 0;
        out[o + 7] = (byte) doBit;
        out[o + 8] = 0;
        put16(out, o + 9, 0);
        return o + 11;
    }

    /** SOA RDATA (uncompressed names) for a serial, cached per serial. */
    private byte[] soaRdata(long serial) {
        if (serial != soaSerial || soaRdata == null) {
            SOARecord soa = ctx.records.soa(serial); // the RDATA is the same for every zone name
            soaRdata = soa.rdataToWireCanonical();
            soaSerial = serial;
        }
        return soaRdata;
    }
}
