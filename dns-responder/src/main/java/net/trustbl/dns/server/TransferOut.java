package net.trustbl.dns.server;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.index.ZoneDelta;
import net.trustbl.dns.index.ZoneSnapshot;
import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Serial;
import org.xbill.DNS.Type;

/**
 * Streams AXFR (RFC 5936) and IXFR (RFC 1995) answers over a TCP connection, many records per
 * message, without holding the whole zone as records in memory.
 */
final class TransferOut {

    private static final int RECORDS_PER_MESSAGE = 200;

    private final ServerContext ctx;

    TransferOut(ServerContext ctx) {
        this.ctx = ctx;
    }

    void transfer(Message query, DataOutputStream out) throws IOException {
        int zi = ctx.zoneOf(query.getQuestion().getName()); // checked by the Responder: the apex of one of our zones
        ZoneRecords zr = zi < 0 ? ctx.records : ctx.zoneRecords[zi];
        ZoneData data = zi < 0 ? ctx.data : ctx.zoneData[zi];
        ZoneSnapshot snap = data.snapshot();
        Sender s = new Sender(query, out, query.getTSIG() != null ? ctx.tsig : null);
        if (query.getQuestion().getType() == Type.IXFR) {
            SOARecord theirs = null;
            for (Record r : query.getSection(Section.AUTHORITY)) {
                if (r instanceof SOARecord) {
                    theirs = (SOARecord) r;
                }
            }
            if (theirs == null) {
                s.error(Rcode.FORMERR);
                return;
            }
            long current = snap.serial() & 0xffffffffL;
            if (Serial.compare(theirs.getSerial(), current) >= 0) {
                s.add(zr.soa(current)); // up to date: the current SOA alone
                s.flush(true);
                return;
            }
            List<ZoneDelta> chain = data.deltasSince(theirs.getSerial());
            if (chain != null && !chain.isEmpty() && exactAsSteps(chain, snap)) {
                long end = chain.get(chain.size() - 1).toSerial();
                s.add(zr.soa(end));
                for (ZoneDelta d : chain) {
                    s.add(zr.soa(d.fromSerial()));
                    for (ListingRecord r : d.removed()) {
                        zr.listingRecords(r, s::addUnchecked);
                    }
                    s.add(zr.soa(d.toSerial()));
                    for (ListingRecord r : d.added()) {
                        zr.listingRecords(r, s::addUnchecked);
                    }
                }
                s.add(zr.soa(end));
                s.flush(true);
                return;
            }
            // history does not reach back: answer with the whole zone (AXFR form, RFC 1995 4)
        }
        SOARecord soa = zr.soa(snap.serial());
        s.add(soa);
        for (Record ns : zr.nsRecords()) {
            s.add(ns);
        }
        zr.bodyRecords(snap, s::addUnchecked);
        s.add(soa);
        s.flush(true);
    }

    /**
     * Whether the chain can be sent as its own records, step by step. A block's wildcards interact
     * with the nodes inside it (see {@link ZoneRecords#bodyRecords}), so a chain that changes a
     * block, or a single address inside one, is answered with the whole zone instead (RFC 1995 4).
     * Without block records in the chain, the blocks were the same throughout it, so the current
     * index tells which singles lie inside one.
     */
    private static boolean exactAsSteps(List<ZoneDelta> chain, ZoneSnapshot snap) {
        for (ZoneDelta d : chain) {
            for (List<ListingRecord> side : List.of(d.removed(), d.added())) {
                for (ListingRecord r : side) {
                    net.trustbl.dns.index.Ip.Block b = net.trustbl.dns.index.Ip.parseBlock(r.cidr());
                    if (b.prefix() != (b.v6() ? 128 : 32)
                            || snap.index().insideShorterBlock(b.v6(), b.hi(), b.lo(), b.prefix())) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Packs records into length-prefixed messages. */
    private static final class Sender {
        private final Message query;
        private final DataOutputStream out;
        private final List<Record> pending = new ArrayList<>(RECORDS_PER_MESSAGE);
        private boolean first = true;
        private final org.xbill.DNS.TSIG tsig;
        private org.xbill.DNS.TSIGRecord previous;
        private boolean signedOne;

        Sender(Message query, DataOutputStream out, org.xbill.DNS.TSIG tsig) {
            this.query = query;
            this.out = out;
            this.tsig = tsig;
            this.previous = query.getTSIG();
        }

        void addUnchecked(Record r) {
            try {
                add(r);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void add(Record r) throws IOException {
            pending.add(r);
            if (pending.size() >= RECORDS_PER_MESSAGE) {
                flush(false);
            }
        }

        void error(int rcode) throws IOException {
            Message m = base();
            m.getHeader().setRcode(rcode);
            write(m);
        }

        private Message base() {
            Message m = new Message(query.getHeader().getID());
            m.getHeader().setFlag(Flags.QR);
            m.getHeader().setFlag(Flags.AA);
            m.getHeader().setOpcode(Opcode.QUERY);
            if (first) {
                m.addRecord(query.getQuestion(), Section.QUESTION);
                first = false;
            }
            return m;
        }

        void flush(boolean last) throws IOException {
            if (pending.isEmpty() && !last) {
                return;
            }
            Message m = base();
            for (Record r : pending) {
                m.addRecord(r, Section.ANSWER);
            }
            pending.clear();
            write(m);
            if (last) {
                out.flush();
            }
        }

        private void write(Message m) throws IOException {
            if (tsig != null) {
                // RFC 8945 5.3.1: the first message signs fully over the query's MAC, later ones
                // over the previous message's MAC and the timers only
                tsig.apply(m, Rcode.NOERROR, previous, !signedOne);
                signedOne = true;
                List<Record> extra = m.getSection(Section.ADDITIONAL);
                previous = (org.xbill.DNS.TSIGRecord) extra.get(extra.size() - 1);
            }
            byte[] w = m.toWire(65535);
            out.writeShort(w.length);
            out.write(w);
        }
    }
}
