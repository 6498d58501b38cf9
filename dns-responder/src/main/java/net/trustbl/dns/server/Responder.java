package net.trustbl.dns.server;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import net.trustbl.dns.index.CompiledView;
import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ZoneSnapshot;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one query into one response. Owned by one thread (it keeps scratch buffers and that
 * thread's metric and traffic stripes). The common DNSBL queries (A, TXT, ANY for an IP name, with
 * or without EDNS0) are parsed and answered straight from and into byte arrays without allocation;
 * everything else goes through dnsjava.
 */
final class Responder {

    /** Nothing to send. */
    static final int DROP = 0;
    /** An AXFR/IXFR over TCP: the connection handler streams it. */
    static final int TRANSFER = -1;

    private static final int MAX_LABELS = 40;

    private final ServerContext ctx;
    final DnsMetrics.Stripe metrics;
    final TrafficCounters.Stripe traffic;
    private final int[] labelStart = new int[MAX_LABELS];
    private final byte[] ipText = new byte[64];
    private final byte[] txt = new byte[1024];
    private final int listedTtl;
    private final int negativeTtl;
    private long soaSerial = Long.MIN_VALUE;
    private byte[] soaRdata;

    Responder(ServerContext ctx, DnsMetrics.Stripe metrics, TrafficCounters.Stripe traffic) {
        this.ctx = ctx;
        this.metrics = metrics;
        this.traffic = traffic;
        this.listedTtl = ctx.config.listedTtl();
        this.negativeTtl = ctx.config.negativeTtl();
    }

    /**
     * Answers {@code q[0..len)} into {@code out}; returns the response length, {@link #DROP} or
     * {@link #TRANSFER}. Never throws for any input.
     */
    int handle(byte[] q, int len, byte[] out, boolean tcp, InetAddress client) {
        try {
            if (ctx.queryAcl.isOpen() || ctx.queryAcl.matches(client)) {
                int n = fast(q, len, out, tcp);
                if (n != Integer.MIN_VALUE) {
                    return n;
                }
            }
            return slow(q, len, out, tcp, client);
        } catch (RuntimeException | StackOverflowError e) {
            // a bug must never take the server down: answer SERVFAIL if we can read an id
            return minimal(q, len, out, Rcode.SERVFAIL);
        }
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 255) << 8) | (b[i + 1] & 255);
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    /** The allocation-free path; Integer.MIN_VALUE means "not handled here". */
    private int fast(byte[] q, int len, byte[] out, boolean tcp) {
        final int no = Integer.MIN_VALUE;
        if (len < 17) {
            return no;
        }
        int flags = q[2] & 255;
        if ((flags & 0xf8) != 0) { // QR set or opcode not QUERY
            return no;
        }
        if (u16(q, 4) != 1 || u16(q, 6) != 0 || u16(q, 8) != 0) {
            return no;
        }
        int ar = u16(q, 10);
        if (ar > 1) {
            return no;
        }
        int p = 12;
        int labels = 0;
        while (true) {
            if (p >= len) {
                return no;
            }
            int l = q[p] & 255;
            if (l == 0) {
                p++;
                break;
            }
            if (l > 63 || labels == MAX_LABELS) {
                return no;
            }
            labelStart[labels++] = p;
            p += l + 1;
            if (p - 12 > 255) {
                return no;
            }
        }
        int qnameEnd = p;
        if (p + 4 > len) {
            return no;
        }
        int qtype = u16(q, p);
        int qclass = u16(q, p + 2);
        p += 4;
        int questionEnd = p;
        boolean edns = false;
        int udpSize = 512;
        int doBit = 0;
        if (ar == 1) {
            if (p + 11 > len || q[p] != 0 || u16(q, p + 1) != 41 || q[p + 6] != 0) {
                return no; // not an OPT, or EDNS version other than 0 (BADVERS from the slow path)
            }
            udpSize = Math.max(512, u16(q, p + 3));
            doBit = q[p + 7] & 0x80;
            p += 11 + u16(q, p + 9);
            edns = true;
        }
        if (p != len || qclass != DClass.IN || (qtype != Type.A && qtype != Type.TXT && qtype != Type.ANY)) {
            return no;
        }
        // zone suffix, case-insensitive (length bytes are < 'A' so lower-casing leaves them alone);
        // a plain loop over the (usually 1-3) pre-encoded zone names, no allocation
        int zl = -1;
        int zoneStart = 0;
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
            zl = l;
            zoneStart = start;
            break;
        }
        if (zl < 0) {
            return no;
        }
        int n = labels - zl;
        ZoneSnapshot snap = ctx.data.snapshot();
        CompiledView view = null;
        int code;
        int ipLen;
        if (n == 4 || n == 5) {
            int ip = 0;
            int t = 0;
            for (int i = 3; i >= 0; i--) {
                int s = labelStart[i];
                int l = q[s] & 255;
                if (l > 3 || (l > 1 && q[s + 1] == '0')) {
                    return no;
                }
                int v = 0;
                for (int k = 1; k <= l; k++) {
                    int c = q[s + k] - '0';
                    if (c < 0 || c > 9) {
                        return no;
                    }
                    v = v * 10 + c;
                    ipText[t++] = q[s + k];
                }
                if (v > 255) {
                    return no;
                }
                if (i > 0) {
                    ipText[t++] = '.';
                }
                ip = (ip << 8) | v;
            }
            ipLen = t;
            if (n == 5) {
                view = view(snap, q, labelStart[4]);
                if (view == null) {
                    return no;
                }
            }
            code = snap.codeV4(ip, view);
            traffic.countV4(ip);
        } else if (n == 32 || n == 33) {
            long hi = 0;
            long lo = 0;
            for (int i = 31; i >= 0; i--) {
                int s = labelStart[i];
                if (q[s] != 1) {
                    return no;
                }
                int d = Character.digit(q[s + 1], 16);
                if (d < 0) {
                    return no;
                }
                if (i >= 16) {
                    hi = (hi << 4) | d;
                } else {
                    lo = (lo << 4) | d;
                }
            }
            if (n == 33) {
                view = view(snap, q, labelStart[32]);
                if (view == null) {
                    return no;
                }
            }
            code = snap.codeV6(hi, lo, view);
            traffic.countV6(hi, lo);
            ipLen = 0;
            if (code > 0 && qtype != Type.A) {
                byte[] t = Ip.formatV6(hi, lo).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(t, 0, ipText, 0, t.length);
                ipLen = t.length;
            }
        } else {
            return no;
        }
        if (view != null) {
            traffic.countKey(view.key());
        }
        metrics.query(qtype);

        // header + question
        out[0] = q[0];
        out[1] = q[1];
        out[2] = (byte) (0x84 | (flags & 0x01)); // QR, AA, RD copied
        System.arraycopy(q, 4, out, 4, 2); // QDCOUNT = 1
        System.arraycopy(q, 12, out, 12, questionEnd - 12);
        int o = questionEnd;
        int an = 0;
        int ns = 0;
        int rcode;
        if (code > 0) {
            rcode = 0;
            metrics.hits++;
            if (qtype == Type.A || qtype == Type.ANY) {
                out[o] = (byte) 0xC0;
                out[o + 1] = 12;
                put16(out, o + 2, Type.A);
                put16(out, o + 4, DClass.IN);
                put32(out, o + 6, listedTtl);
                put16(out, o + 10, 4);
                out[o + 12] = 127;
                out[o + 13] = 0;
                out[o + 14] = 0;
                out[o + 15] = (byte) code;
                o += 16;
                an++;
            }
            if (qtype == Type.TXT || qtype == Type.ANY) {
                if (ctx.records.template().maxLength(ipLen) > txt.length) {
                    return no;
                }
                int tl = ctx.records.template().render(ipText, 0, ipLen, txt, 0);
                int chunks = tl == 0 ? 1 : (tl + 254) / 255;
                int rdlen = tl + chunks;
                if (o + 12 + rdlen + 11 > out.length) {
                    return no;
                }
                out[o] = (byte) 0xC0;
                out[o + 1] = 12;
                put16(out, o + 2, Type.TXT);
                put16(out, o + 4, DClass.IN);
                put32(out, o + 6, listedTtl);
                put16(out, o + 10, rdlen);
                o += 12;
                int done = 0;
                do {
                    int c = Math.min(255, tl - done);
                    out[o++] = (byte) c;
                    System.arraycopy(txt, done, out, o, c);
                    o += c;
                    done += c;
                } while (done < tl);
                an++;
            }
        } else {
            rcode = Rcode.NXDOMAIN;
            byte[] rdata = soaRdata(snap.serial());
            put16(out, o, 0xC000 | zoneStart);
            put16(out, o + 2, Type.SOA);
            put16(out, o + 4, DClass.IN);
            put32(out, o + 6, negativeTtl);
            put16(out, o + 10, rdata.length);
            System.arraycopy(rdata, 0, out, o + 12, rdata.length);
            o += 12 + rdata.length;
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
            out[o] = 0;
            put16(out, o + 1, 41);
            put16(out, o + 3, ctx.config.maxUdpSize());
            out[o + 5] = 0;
            out[o + 6] = 0;
            out[o + 7] = (byte) doBit;
            out[o + 8] = 0;
            put16(out, o + 9, 0);
            o += 11;
        }
        metrics.rcode(rcode);
        return o;
    }

    private CompiledView view(ZoneSnapshot snap, byte[] q, int labelOffset) {
        if (!snap.hasViews()) {
            return null;
        }
        int l = q[labelOffset] & 255;
        String key = new String(q, labelOffset + 1, l, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return snap.view(key);
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

    /** A header-only response (question copied when it parses) with the given rcode, or DROP. */
    int minimal(byte[] q, int len, byte[] out, int rcode) {
        if (len < 12 || (q[2] & 0x80) != 0) {
            metrics.dropped++;
            return DROP;
        }
        out[0] = q[0];
        out[1] = q[1];
        out[2] = (byte) (0x80 | (q[2] & 0x79)); // QR, opcode and RD copied
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

    /** The same query answered with nothing but TC set (RRL slip). */
    int truncated(byte[] q, int len, byte[] out) {
        int n = minimal(q, len, out, 0);
        if (n > 0) {
            out[2] |= 0x06; // AA + TC
        }
        return n;
    }

    // ---------------------------------------------------------------- slow path (dnsjava)

    private int slow(byte[] q, int len, byte[] out, boolean tcp, InetAddress client) {
        if (len < 12 || (q[2] & 0x80) != 0) {
            metrics.dropped++;
            return DROP;
        }
        Message m;
        try {
            m = new Message(Arrays.copyOf(q, len));
        } catch (Exception e) {
            metrics.query(-1);
            return minimal(q, len, out, Rcode.FORMERR);
        }
        org.xbill.DNS.TSIGRecord queryTsig = m.getTSIG();
        boolean signed = false;
        if (queryTsig != null) {
            // RFC 8945: a signed query we cannot verify gets NOTAUTH, unsigned
            if (ctx.tsig == null || ctx.tsig.verify(m, Arrays.copyOf(q, len), null) != Rcode.NOERROR) {
                return minimal(q, len, out, Rcode.NOTAUTH);
            }
            signed = true;
        }
        Message r = answer(m, tcp, client, signed);
        if (r == null) {
            return TRANSFER;
        }
        if (signed) {
            r.setTSIG(ctx.tsig, Rcode.NOERROR, queryTsig);
        }
        int limit = tcp ? 65535 : udpLimit(m);
        byte[] w = r.toWire(limit);
        if (w.length > out.length) {
            return minimal(q, len, out, Rcode.SERVFAIL);
        }
        System.arraycopy(w, 0, out, 0, w.length);
        metrics.rcode(r.getHeader().getRcode());
        return w.length;
    }

    private int udpLimit(Message m) {
        OPTRecord opt = m.getOPT();
        int size = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
        return Math.min(size, ctx.config.maxUdpSize());
    }

    /** Builds the response, or returns null for an AXFR/IXFR over TCP (streamed by the caller). */
    Message answer(Message m, boolean tcp, InetAddress client, boolean signedQuery) {
        Header h = m.getHeader();
        int opcode = h.getOpcode();
        Message r = new Message(h.getID());
        Header rh = r.getHeader();
        rh.setFlag(Flags.QR);
        rh.setOpcode(opcode);
        if (h.getFlag(Flags.RD)) {
            rh.setFlag(Flags.RD);
        }
        Record question = m.getQuestion();
        List<Record> questions = m.getSection(Section.QUESTION);
        if (questions.size() == 1) {
            r.addRecord(question, Section.QUESTION);
        }
        OPTRecord opt = m.getOPT();
        if (opt != null) {
            int flags = opt.getFlags() & ExtendedFlags.DO;
            if (opt.getVersion() != 0) {
                // RFC 6891 6.1.3: BADVERS is extended rcode 16 = 1 in the OPT, 0 in the header
                r.addRecord(new OPTRecord(ctx.config.maxUdpSize(), Rcode.BADVERS >>> 4, 0, flags), Section.ADDITIONAL);
                metrics.query(question == null ? -1 : question.getType());
                return r;
            }
            r.addRecord(new OPTRecord(ctx.config.maxUdpSize(), 0, 0, flags), Section.ADDITIONAL);
        }
        metrics.query(question == null ? -1 : question.getType());
        if (opcode == Opcode.NOTIFY) {
            return notifyIn(m, r, client);
        }
        if (opcode != Opcode.QUERY) {
            rh.setRcode(Rcode.NOTIMP);
            return r;
        }
        if (questions.size() != 1 || !m.getSection(Section.ANSWER).isEmpty()) {
            rh.setRcode(Rcode.FORMERR);
            return r;
        }
        if (!ctx.queryAcl.matches(client)) {
            metrics.aclRefused++;
            rh.setRcode(Rcode.REFUSED);
            return r;
        }
        Name name = question.getName();
        int zi = ctx.zoneOf(name);
        int type = question.getType();
        if ((question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) || zi < 0) {
            rh.setRcode(Rcode.REFUSED);
            return r;
        }
        ZoneRecords zr = ctx.zoneRecords[zi];
        Name zone = zr.zone();
        rh.setFlag(Flags.AA);
        ZoneSnapshot snap = ctx.data.snapshot();
        if (type == Type.AXFR || type == Type.IXFR) {
            if (!name.equals(zone) || !ctx.transferAcl.matches(client) || (ctx.tsig != null && !signedQuery)) {
                rh.setRcode(Rcode.REFUSED);
                return r;
            }
            if (tcp) {
                return null;
            }
            if (type == Type.AXFR) {
                rh.setRcode(Rcode.FORMERR); // AXFR needs TCP
                return r;
            }
            // IXFR over UDP: the current SOA alone tells the client to come back over TCP (RFC 1995 2)
            r.addRecord(zr.soa(snap.serial()), Section.ANSWER);
            return r;
        }
        int rel = name.labels() - zone.labels();
        if (rel == 0) {
            return apex(r, zr, type, snap);
        }
        if (zr.isNsName(name)) {
            return noData(r, zr, snap);
        }
        String last = name.getLabelString(rel - 1).toLowerCase(Locale.ROOT);
        CompiledView view = snap.view(last);
        int ipLabels = rel;
        if (view != null) {
            traffic.countKey(view.key());
            ipLabels--;
            if (ipLabels == 0) {
                return noData(r, zr, snap);
            }
        } else if (rel == 5 || rel == 33 || !(isOctet(last) || isNibble(last))) {
            rh.setRcode(Rcode.REFUSED); // an unknown or disabled query key: never an answer a client could take as a listing
            return r;
        }
        boolean octets = true;
        boolean nibbles = true;
        for (int i = 0; i < ipLabels; i++) {
            String l = name.getLabelString(i);
            octets &= isOctet(l);
            nibbles &= isNibble(l);
        }
        int code;
        String ipText;
        if (octets && ipLabels == 4) {
            int ip = 0;
            for (int i = 3; i >= 0; i--) {
                ip = (ip << 8) | Integer.parseInt(name.getLabelString(i));
            }
            code = snap.codeV4(ip, view);
            traffic.countV4(ip);
            ipText = Ip.formatV4(ip);
        } else if (nibbles && ipLabels == 32) {
            long hi = 0;
            long lo = 0;
            for (int i = 31; i >= 0; i--) {
                int d = Character.digit(name.getLabelString(i).charAt(0), 16);
                if (i >= 16) {
                    hi = (hi << 4) | d;
                } else {
                    lo = (lo << 4) | d;
                }
            }
            code = snap.codeV6(hi, lo, view);
            traffic.countV6(hi, lo);
            ipText = Ip.formatV6(hi, lo);
        } else if ((octets && ipLabels < 4) || (nibbles && ipLabels < 32)) {
            // an empty non-terminal: NODATA, because NXDOMAIN would deny every name below (RFC 8020)
            return noData(r, zr, snap);
        } else {
            return nxDomain(r, zr, snap);
        }
        if (code == 0) {
            return nxDomain(r, zr, snap);
        }
        if (type == Type.A || type == Type.ANY) {
            r.addRecord(zr.a(name, code), Section.ANSWER);
        }
        if (type == Type.TXT || type == Type.ANY) {
            r.addRecord(zr.txt(name, ipText), Section.ANSWER);
        }
        if (type == Type.A || type == Type.TXT || type == Type.ANY) {
            metrics.hits++;
            return r;
        }
        return noData(r, zr, snap);
    }

    private Message apex(Message r, ZoneRecords zr, int type, ZoneSnapshot snap) {
        if (type == Type.SOA || type == Type.ANY) {
            r.addRecord(zr.soa(snap.serial()), Section.ANSWER);
        } else if (type == Type.NS) {
            for (Record ns : zr.nsRecords()) {
                r.addRecord(ns, Section.ANSWER);
            }
        } else {
            return noData(r, zr, snap);
        }
        return r;
    }

    private Message noData(Message r, ZoneRecords zr, ZoneSnapshot snap) {
        r.addRecord(zr.soa(snap.serial()), Section.AUTHORITY);
        return r;
    }

    private Message nxDomain(Message r, ZoneRecords zr, ZoneSnapshot snap) {
        r.getHeader().setRcode(Rcode.NXDOMAIN);
        r.addRecord(zr.soa(snap.serial()), Section.AUTHORITY);
        return r;
    }

    private Message notifyIn(Message m, Message r, InetAddress client) {
        Record q = m.getQuestion();
        java.util.function.Consumer<InetAddress> handler = ctx.notifyHandler;
        if (q == null || !isZoneApex(q.getName()) || handler == null || !ctx.notifyAcl.matches(client)) {
            r.getHeader().setRcode(Rcode.REFUSED);
            return r;
        }
        r.getHeader().setFlag(Flags.AA);
        handler.accept(client);
        return r;
    }

    private boolean isZoneApex(Name n) {
        int zi = ctx.zoneOf(n);
        return zi >= 0 && n.equals(ctx.zoneRecords[zi].zone());
    }

    static boolean isOctet(String l) {
        int n = l.length();
        if (n == 0 || n > 3 || (n > 1 && l.charAt(0) == '0')) {
            return false;
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = l.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 255;
    }

    static boolean isNibble(String l) {
        return l.length() == 1 && Character.digit(l.charAt(0), 16) >= 0;
    }
}
