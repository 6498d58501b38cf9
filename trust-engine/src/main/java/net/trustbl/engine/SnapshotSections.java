package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The small rule states written after the engine's bulk state in a format-3 snapshot: trusted
 * senders, moderators' exclusions and suspect cohorts. Each is a few entries per thousand addresses,
 * so they go as one length-prefixed blob in plain {@link DataOutput} form, which keeps each rule's
 * codec beside its rule and out of the bulk codec's hot loop.
 */
final class SnapshotSections {

    private static final int MAX_BYTES = 1 << 30;

    private SnapshotSections() {
    }

    static void write(TrustEngine engine, SnapshotOut out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        engine.trustedRule().write(data);
        engine.exclusionBook().write(data, SnapshotSections::writeIp);
        engine.memberBook().cohorts.write(data, SnapshotSections::writeIp);
        data.writeLong(engine.evidenceBook().lastTrafficAt); // snapshots before it end after the cohorts
        writeWrongListingTimes(engine.memberBook(), data); // snapshots before it end after the traffic time
        writeBlockWitnesses(engine.evidenceBook(), data); // snapshots before it end after the wrong-listing times
        engine.contestedListings().write(data); // snapshots before it end after the block witnesses
        data.flush();
        byte[] blob = bytes.toByteArray();
        out.writeCount(blob.length);
        for (byte b : blob) {
            out.writeByte(b);
        }
    }

    static void read(TrustEngine engine, SnapshotIn in) throws IOException {
        byte[] blob = new byte[in.readCount(MAX_BYTES)];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) in.readByte();
        }
        DataInputStream data = new DataInputStream(new ByteArrayInputStream(blob));
        engine.trustedRule().read(data);
        engine.exclusionBook().read(data, SnapshotSections::readIp);
        engine.memberBook().cohorts.read(data, SnapshotSections::readIp);
        engine.evidenceBook().lastTrafficAt = data.available() >= Long.BYTES ? data.readLong() : Long.MIN_VALUE;
        if (data.available() > 0) {
            readWrongListingTimes(engine.memberBook(), data);
        }
        if (data.available() > 0) {
            // older snapshots have none: their listings count as witnesses again when next judged
            readBlockWitnesses(engine.evidenceBook(), data);
        }
        if (data.available() > 0) {
            // older snapshots have none: requests count from the restart on
            engine.contestedListings().read(data);
        }
        if (data.available() != 0) {
            throw new IOException("the snapshot's rule sections hold " + data.available() + " bytes more than they read");
        }
    }

    /** When each member's latest two wrong listings of young addresses were found (the new-sender voice's wait), members that have one. */
    private static void writeWrongListingTimes(MemberBook members, DataOutput out) throws IOException {
        int n = 0;
        for (MemberState m : members.all()) {
            n += m.lastWrongListingAt != Long.MIN_VALUE ? 1 : 0;
        }
        out.writeInt(n);
        for (MemberState m : members.all()) {
            if (m.lastWrongListingAt != Long.MIN_VALUE) {
                out.writeLong(m.id);
                out.writeLong(m.lastWrongListingAt);
                out.writeLong(m.previousWrongListingAt);
            }
        }
    }

    private static void readWrongListingTimes(MemberBook members, DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("the snapshot names " + n + " wrong-listing times");
        }
        for (int i = 0; i < n; i++) {
            long id = in.readLong();
            long at = in.readLong();
            long before = in.readLong();
            MemberState m = members.get(id);
            if (m == null) {
                throw new IOException("the snapshot's wrong-listing time names member " + id + ", which it does not hold");
            }
            m.lastWrongListingAt = at;
            m.previousWrongListingAt = before;
        }
    }

    /** The listed single addresses that count toward their block's snowshoe listing (IpEvidence#blockWitness). */
    private static void writeBlockWitnesses(EvidenceBook book, DataOutput out) throws IOException {
        java.util.List<IpEvidence> witnesses = new java.util.ArrayList<>();
        for (IpEvidence e : book.listed()) {
            if (e.blockWitness) {
                witnesses.add(e);
            }
        }
        out.writeInt(witnesses.size());
        for (IpEvidence e : witnesses) {
            writeIp(e.ip, out);
        }
    }

    private static void readBlockWitnesses(EvidenceBook book, DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("the snapshot names " + n + " block witnesses");
        }
        for (int i = 0; i < n; i++) {
            IpBlock ip = readIp(in);
            IpEvidence e = book.get(ip);
            if (e == null || !e.listed() || !ip.isSingleAddress() || e.blockWitness) {
                throw new IOException("the snapshot names " + ip + " as a block witness, but it holds no such listing");
            }
            book.setBlockWitness(e, Judgement.snowshoeBlock(ip), true);
        }
    }

    static void writeIp(IpBlock ip, DataOutput out) throws IOException {
        out.writeBoolean(ip.isV6());
        out.writeByte(ip.prefixLength());
        out.writeLong(ip.hi());
        out.writeLong(ip.lo());
    }

    static IpBlock readIp(DataInput in) throws IOException {
        boolean v6 = in.readBoolean();
        int prefix = in.readUnsignedByte();
        long hi = in.readLong();
        long lo = in.readLong();
        return v6 ? IpBlock.ofV6(hi, lo, prefix) : IpBlock.ofV4((int) lo, prefix);
    }
}
