package net.trustbl.dns.server;

import net.trustbl.address.IpAddress;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import net.trustbl.dns.index.CompiledView;
import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ZoneSnapshot;
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
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Every query through dnsjava {@link Message}: whatever {@link FastPath} leaves (apex, other
 * types, partial names, unknown keys, names outside our zones, TSIG, NOTIFY, transfers, EDNS
 * versions, malformed messages). It answers the fast path's queries too, the same way; that is
 * what {@code PathsAgreeTest} checks.
 */
final class GeneralPath {

    private final ServerContext ctx;
    private final DnsMetrics.Stripe metrics;
    private final AnsweredLookup lookup;

    GeneralPath(ServerContext ctx, DnsMetrics.Stripe metrics, AnsweredLookup lookup) {
        this.ctx = ctx;
        this.metrics = metrics;
        this.lookup = lookup;
    }

    /** Answers {@code q[0..len)} into {@code out}: the length, {@link Responder#DROP} or {@link Responder#TRANSFER}. */
    int answer(byte[] q, int len, byte[] out, boolean tcp, InetAddress client) {
        if (len < 12 || (q[2] & 0x80) != 0) {
            metrics.dropped++;
            return Responder.DROP;
        }
        Message m;
        try {
            m = new Message(Arrays.copyOf(q, len));
        } catch (Exception e) {
            metrics.query(-1);
            return HeaderOnly.answer(q, len, out, Rcode.FORMERR, metrics);
        }
        TSIGRecord queryTsig = m.getTSIG();
        boolean signed = false;
        if (queryTsig != null) {
            // RFC 8945: a signed query we cannot verify gets NOTAUTH, unsigned
            if (ctx.tsig == null || ctx.tsig.verify(m, Arrays.copyOf(q, len), null) != Rcode.NOERROR) {
                return HeaderOnly.answer(q, len, out, Rcode.NOTAUTH, metrics);
            }
            signed = true;
        }
        Message r = respond(m, tcp, client, signed);
        if (r == null) {
            return Responder.TRANSFER;
        }
        if (signed) {
            r.setTSIG(ctx.tsig, Rcode.NOERROR, queryTsig);
        }
        byte[] w = r.toWire(tcp ? 65535 : udpLimit(m));
        if (w.length > out.length) {
            return HeaderOnly.answer(q, len, out, Rcode.SERVFAIL, metrics);
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
    Message respond(Message m, boolean tcp, InetAddress client, boolean signedQuery) {
        Header h = m.getHeader();
        int opcode = h.getOpcode();
        Message r = new Message(h.getID());
        Header rh = r.getHeader();
        rh.setFlag(Flags.QR);
        rh.setOpcode(opcode);
        if (opcode == Opcode.QUERY && h.getFlag(Flags.RD)) { // RD is defined for QUERY only (RFC 1035 4.1.1)
            rh.setFlag(Flags.RD);
        }
        Record question = m.getQuestion();
        List<Record> questions = m.getSection(Section.QUESTION);
        if (questions.size() == 1) {
            r.addRecord(question, Section.QUESTION);
        }
        metrics.query(question == null ? -1 : question.getType());
        OPTRecord opt = m.getOPT();
        if (opt != null) {
            int flags = opt.getFlags() & ExtendedFlags.DO;
            if (opt.getVersion() != 0) {
                // RFC 6891 6.1.3: BADVERS is extended rcode 16 = 1 in the OPT, 0 in the header
                r.addRecord(new OPTRecord(ctx.config.maxUdpSize(), Rcode.BADVERS >>> 4, 0, flags), Section.ADDITIONAL);
                return r;
            }
            r.addRecord(new OPTRecord(ctx.config.maxUdpSize(), 0, 0, flags), Section.ADDITIONAL);
        }
        if (opcode == Opcode.NOTIFY) {
            return notifyIn(m, r, client, signedQuery);
        }
        if (opcode != Opcode.QUERY) {
            rh.setRcode(Rcode.NOTIMP);
            return r;
        }
        if (questions.size() != 1 || !m.getSection(Section.ANSWER).isEmpty()) {
            rh.setRcode(Rcode.FORMERR);
            return r;
        }
        return query(r, question, tcp, client, signedQuery);
    }

    /** One question of opcode QUERY: ACL, zone, transfers, apex, then the names below it. */
    private Message query(Message r, Record question, boolean tcp, InetAddress client, boolean signedQuery) {
        Header rh = r.getHeader();
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
        int rel = name.labels() - zr.zone().labels();
        if (!ctx.freshness.servable() && !TestPoints.isTestPointName(name, rel)) {
            // no data yet, or expired: "not listed" would let listed senders through (fail closed)
            rh.setRcode(Rcode.SERVFAIL);
            return r;
        }
        rh.setFlag(Flags.AA);
        ZoneSnapshot snap = ctx.zoneData[zi].snapshot();
        if (type == Type.AXFR || type == Type.IXFR) {
            return transfer(r, zr, name, type, tcp, client, signedQuery, snap);
        }
        if (rel == 0) {
            return apex(r, zr, type, snap);
        }
        if (zr.isNsName(name)) {
            return noData(r, zr, snap);
        }
        return belowApex(r, zr, name, rel, type, snap);
    }

    private Message transfer(Message r, ZoneRecords zr, Name name, int type, boolean tcp, InetAddress client,
            boolean signedQuery, ZoneSnapshot snap) {
        if (!name.equals(zr.zone()) || !ctx.transferAcl.matches(client) || (ctx.tsig != null && !signedQuery)) {
            r.getHeader().setRcode(Rcode.REFUSED);
            return r;
        }
        if (tcp) {
            return null;
        }
        if (type == Type.AXFR) {
            r.getHeader().setRcode(Rcode.FORMERR); // AXFR needs TCP
            return r;
        }
        // IXFR over UDP: the current SOA alone tells the client to come back over TCP (RFC 1995 2)
        r.addRecord(zr.soa(snap.serial()), Section.ANSWER);
        return r;
    }

    /** {@code [ip labels].[key.]zone}: the listing, NXDOMAIN, or NODATA for partial names. */
    private Message belowApex(Message r, ZoneRecords zr, Name name, int rel, int type, ZoneSnapshot snap) {
        String last = name.getLabelString(rel - 1).toLowerCase(Locale.ROOT);
        CompiledView view = snap.view(last);
        int ipLabels = rel;
        if (view != null) {
            lookup.key(view.key());
            ipLabels--;
            if (ipLabels == 0) {
                return noData(r, zr, snap);
            }
        } else if (rel == 5 || rel == 33 || !(isOctet(last) || isNibble(last))) {
            r.getHeader().setRcode(Rcode.REFUSED); // an unknown or disabled query key: never an answer a client could take as a listing
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
            lookup.v4(ip);
            code = snap.codeV4(ip, view);
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
            lookup.v6(hi, lo);
            code = snap.codeV6(hi, lo, view);
            ipText = Ip.formatV6(hi, lo);
        } else if ((octets && ipLabels < 4) || (nibbles && ipLabels < 32)) {
            // an empty non-terminal: NODATA, because NXDOMAIN would deny every name below (RFC 8020)
            return noData(r, zr, snap);
        } else {
            return nxDomain(r, zr, snap);
        }
        return listing(r, zr, name, type, code, ipText, snap);
    }

    private Message listing(Message r, ZoneRecords zr, Name name, int type, int code, String ipText, ZoneSnapshot snap) {
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

    private static Message noData(Message r, ZoneRecords zr, ZoneSnapshot snap) {
        r.addRecord(zr.soa(snap.serial()), Section.AUTHORITY);
        return r;
    }

    private static Message nxDomain(Message r, ZoneRecords zr, ZoneSnapshot snap) {
        r.getHeader().setRcode(Rcode.NXDOMAIN);
        r.addRecord(zr.soa(snap.serial()), Section.AUTHORITY);
        return r;
    }

    /**
     * A NOTIFY makes the follower transfer at once, so it is held to what a transfer request is:
     * with a TSIG key it must be signed (a UDP source address is easily forged; a badly signed one
     * got NOTAUTH before this), and it is answered signed. The follower still bounds how often
     * NOTIFYs may start a transfer ({@code ZoneFollower.notified}).
     */
    private Message notifyIn(Message m, Message r, InetAddress client, boolean signedQuery) {
        Record q = m.getQuestion();
        Consumer<InetAddress> handler = ctx.notifyHandler;
        if (q == null || !isZoneApex(q.getName()) || handler == null || !ctx.notifyAcl.matches(client)
                || (ctx.tsig != null && !signedQuery)) {
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
        return IpAddress.isOctetLabel(l);
    }

    static boolean isNibble(String l) {
        return IpAddress.isNibbleLabel(l);
    }
}
