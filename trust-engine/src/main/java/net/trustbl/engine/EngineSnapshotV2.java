package net.trustbl.engine;

import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads snapshots of format 2 (DataOutput, big-endian, member ids per report), which services
 * before format 3 stored. Kept because a stored snapshot may be the only record of history the
 * journal has pruned since: refusing it would forget members' earned trust. Never written.
 */
final class EngineSnapshotV2 {

    private EngineSnapshotV2() {
    }

    /** The state after the header (magic, version) into a fresh engine with {@code config}'s rules. */
    static TrustEngine read(EngineConfig config, DataInput in) throws IOException {
        in.readLong(); // the rules' fingerprint: restored under the current rules either way
        TrustEngine engine = new TrustEngine(config);
        engine.restoreCounters(in.readLong(), in.readLong(), in.readLong());
        int memberCount = in.readInt();
        Map<Long, MemberState> members = new HashMap<>(memberCount * 2);
        List<MemberState> order = new ArrayList<>(memberCount);
        SnapshotFields fields = SnapshotFields.of(in);
        for (int i = 0; i < memberCount; i++) {
            MemberState m = EngineSnapshot.readMember(fields);
            members.put(m.id, m);
            order.add(m);
            engine.memberBook().restore(m);
        }
        IpEvidence[] evidence = new IpEvidence[in.readInt()];
        for (int i = 0; i < evidence.length; i++) {
            int at = in.readInt();
            evidence[at] = readEvidence(in, members);
        }
        readReferences(engine, order, evidence, in);
        return engine;
    }

    private static IpEvidence readEvidence(DataInput in, Map<Long, MemberState> members) throws IOException {
        IpEvidence e = new IpEvidence(SnapshotSections.readIp(in));
        int reports = in.readInt();
        for (int i = 0; i < reports; i++) {
            ReportEntry r = new ReportEntry(in.readLong(), member(members, in.readLong()), in.readBoolean(),
                    in.readLong(), in.readDouble(), in.readBoolean());
            r.outcome = ReportOutcome.values()[in.readByte()];
            int flags = in.readByte();
            r.superseded = (flags & 1) != 0;
            r.claim = (flags & 2) != 0;
            r.early = (flags & 4) != 0;
            r.earned = (flags & 8) != 0;
            e.addReport(r);
        }
        int traps = in.readInt();
        boolean withMembers = in.readBoolean();
        e.newTraps(traps, withMembers);
        for (int i = 0; i < traps; i++) {
            e.trapTimes[i] = in.readLong();
            e.trapCounts[i] = in.readInt();
            if (withMembers) {
                boolean present = in.readBoolean();
                long id = in.readLong();
                e.trapMembers[i] = present ? member(members, id) : null;
            }
        }
        e.trapSize = traps;
        readFields(e, in);
        return e;
    }

    private static void readFields(IpEvidence e, DataInput in) throws IOException {
        e.lookupLevel = in.readDouble();
        e.lookupsAt = in.readLong();
        e.barFactor = in.readDouble();
        e.barAt = in.readLong();
        e.trafficDays = in.readLong();
        e.lastTrafficDay = in.readLong();
        e.lookupsThatDay = in.readDouble();
        e.lapsedAt = in.readLong();
        e.firstTrafficAt = in.readLong();
        e.returnCode = in.readInt();
        e.listedSinceMillis = in.readLong();
        e.expiresAtMillis = in.readLong();
        EvidenceCodec.setFlags(e, in.readByte());
        e.escalatedFrom = in.readInt();
        long[] struck = new long[in.readInt()];
        for (int i = 0; i < struck.length; i++) {
            struck[i] = in.readLong();
        }
        e.struckMembers = struck;
    }

    private static MemberState member(Map<Long, MemberState> members, long id) throws IOException {
        MemberState m = members.get(id);
        if (m == null) {
            throw new IOException("snapshot refers to member " + id + " it does not hold");
        }
        return m;
    }

    private static void readReferences(TrustEngine engine, List<MemberState> members, IpEvidence[] evidence,
                                       DataInput in) throws IOException {
        EvidenceBook book = engine.evidenceBook();
        for (int i = 0; i < evidence.length; i++) {
            int at = in.readInt();
            if (in.readBoolean()) {
                book.restore(evidence[at]);
            }
        }
        for (MemberState m : members) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                IpEvidence target = evidence[in.readInt()];
                m.addRecentTarget(target, in.readLong());
            }
        }
        int listed = in.readInt();
        for (int i = 0; i < listed; i++) {
            book.markListed(evidence[in.readInt()]);
        }
        int[][] inUse = new int[2][];
        for (int f = 0; f < 2; f++) {
            boolean[] seen = book.prefixesSeen(f == 1);
            for (int p = 0; p < seen.length; p++) {
                seen[p] = in.readBoolean();
            }
            inUse[f] = new int[in.readInt()];
            for (int i = 0; i < inUse[f].length; i++) {
                inUse[f][i] = in.readInt();
            }
        }
        book.restorePrefixesInUse(inUse[0], inUse[1]);
        int blocks = in.readInt();
        for (int i = 0; i < blocks; i++) {
            book.listedPerBlock().put(SnapshotSections.readIp(in), new int[] {in.readInt(), 0});
        }
        int due = in.readInt();
        for (int i = 0; i < due; i++) {
            long at = in.readLong();
            engine.expiryClock().schedule(evidence[in.readInt()], at);
        }
    }
}
