package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who points at which evidence, in snapshot format 3: members' recent targets, the listing
 * order, block prefixes in use, listed addresses per block, the expiry queue. Evidence in the
 * book is named by its address (0, then the address), forgotten evidence by its index + 1.
 */
final class References {

    private static final int MAX_ITEMS = 1 << 28;

    private final EvidenceBook book;
    private final Map<IpEvidence, Integer> forgotten;

    References(EvidenceBook book, Map<IpEvidence, Integer> forgotten) {
        this.book = book;
        this.forgotten = forgotten;
    }

    void write(TrustEngine engine, List<MemberState> members, SnapshotOut out) throws IOException {
        for (MemberState m : members) {
            out.writeCount(m.recentTargets.size());
            for (int i = 0; i < m.recentTargets.size(); i++) {
                writeRef(m.recentTargets.get(i), out);
                out.writeLong(m.recentTargetTime(i));
            }
        }
        out.writeCount(book.listedCount());
        for (IpEvidence e : book.listed()) {
            writeRef(e, out);
        }
        for (boolean v6 : new boolean[] {false, true}) {
            for (boolean seen : book.prefixesSeen(v6)) {
                out.writeByte(seen ? 1 : 0);
            }
            int[] inUse = book.prefixesInUse(v6);
            out.writeCount(inUse.length);
            for (int p : inUse) {
                out.writeByte(p);
            }
        }
        out.writeCount(book.listedPerBlock().size());
        for (Map.Entry<IpBlock, int[]> c : book.listedPerBlock().entrySet()) {
            EvidenceCodec.writeIp(c.getKey(), out);
            out.writeInt(c.getValue()[0]);
        }
        List<ExpiryClock.Due> due = new ArrayList<>();
        engine.expiryClock().entries().forEach(due::add);
        out.writeCount(due.size());
        for (ExpiryClock.Due d : due) {
            out.writeLong(d.atMillis());
            writeRef(d.ip(), out);
        }
    }

    private void writeRef(IpEvidence e, SnapshotOut out) throws IOException {
        if (book.get(e.ip) == e) {
            out.writeCount(0);
            EvidenceCodec.writeIp(e.ip, out);
        } else {
            out.writeCount(forgotten.get(e) + 1);
        }
    }

    static void read(TrustEngine engine, MemberState[] members, IpEvidence[] forgotten, SnapshotIn in) throws IOException {
        EvidenceBook book = engine.evidenceBook();
        for (MemberState m : members) {
            int n = in.readCount(MAX_ITEMS);
            for (int i = 0; i < n; i++) {
                IpEvidence target = readRef(book, forgotten, in);
                m.addRecentTarget(target, in.readLong());
            }
        }
        int listed = in.readCount(MAX_ITEMS);
        for (int i = 0; i < listed; i++) {
            book.markListed(readRef(book, forgotten, in));
        }
        int[][] inUse = new int[2][];
        for (int f = 0; f < 2; f++) {
            boolean[] seen = book.prefixesSeen(f == 1);
            for (int p = 0; p < seen.length; p++) {
                seen[p] = in.readByte() == 1;
            }
            inUse[f] = new int[in.readCount(seen.length)];
            for (int i = 0; i < inUse[f].length; i++) {
                inUse[f][i] = in.readByte();
            }
        }
        book.restorePrefixesInUse(inUse[0], inUse[1]);
        int blocks = in.readCount(MAX_ITEMS);
        for (int i = 0; i < blocks; i++) {
            book.listedPerBlock().put(EvidenceCodec.readIp(in), new int[] {in.readInt(), 0});
        }
        int due = in.readCount(MAX_ITEMS);
        for (int i = 0; i < due; i++) {
            long at = in.readLong();
            engine.expiryClock().schedule(readRef(book, forgotten, in), at);
        }
    }

    private static IpEvidence readRef(EvidenceBook book, IpEvidence[] forgotten, SnapshotIn in) throws IOException {
        int ref = in.readCount();
        if (ref == 0) {
            IpBlock ip = EvidenceCodec.readIp(in);
            IpEvidence e = book.get(ip);
            if (e == null) {
                throw new IOException("the snapshot refers to " + ip + ", which it does not hold");
            }
            return e;
        }
        if (ref > forgotten.length) {
            throw new IOException("the snapshot refers to forgotten evidence #" + ref + " it does not hold");
        }
        return forgotten[ref - 1];
    }
}
