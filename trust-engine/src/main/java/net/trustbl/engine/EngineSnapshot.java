package net.trustbl.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The trust engine's whole state as bytes, and back. A snapshot taken after journal event N,
 * plus the events after N, gives exactly the engine a replay of every event gives: that is what
 * lets a service start (or take over) from the latest snapshot and the journal's tail instead of
 * the whole history. Object identity is kept: each address's evidence is written once and
 * referred to by its index (members' recent targets, the listing order, the expiry queue),
 * including evidence the weekly sweep forgot but a member or the queue still points at.
 * Scratch state (score tallies) is not part of it; the rules are not either: a snapshot carries a
 * fingerprint of the rules it was made under ({@link #rulesFingerprint}), kept for the record; the
 * state is restored under the current rules either way (see {@link #read}).
 */
public final class EngineSnapshot {

    private static final int MAGIC = 0x54424c53; // "TBLS"
    private static final int VERSION = 3; // 2: first lookup time (new senders), wrong listings per member; 3: trusted senders, exclusions, suspect cohorts

    private EngineSnapshot() {
    }

    /** Identifies the rules: an engine restored under other rules would not be the one a replay gives. */
    public static long rulesFingerprint(EngineConfig config) {
        CRC32 crc = new CRC32();
        crc.update(config.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** Writes {@code engine}'s state; the caller keeps the engine still meanwhile. */
    public static void write(TrustEngine engine, DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(rulesFingerprint(engine.config()));
        for (long c : engine.counters()) {
            out.writeLong(c);
        }
        List<MemberState> members = new ArrayList<>(engine.memberBook().all());
        out.writeInt(members.size());
        for (MemberState m : members) {
            writeMember(m, out);
        }
        Map<IpEvidence, Integer> index = indexEvidence(engine, members);
        out.writeInt(index.size());
        for (IpEvidence e : index.keySet()) { // IdentityHashMap iterates in no set order: indices are written
            out.writeInt(index.get(e));
            writeEvidence(e, out);
        }
        writeReferences(engine, members, index, out);
        engine.trustedRule().write(out); // section since version 3
        engine.exclusionBook().write(out, EngineSnapshot::writeIp);
        engine.memberBook().cohorts.write(out);
    }

    /** Reads a state {@link #write} wrote into a fresh engine with {@code config}'s rules. */
    public static TrustEngine read(EngineConfig config, DataInput in) throws IOException {
        int magic = in.readInt();
        int version = in.readInt();
        if (magic != MAGIC || version < 2 || version > VERSION) {
            throw new IOException("not a trust engine snapshot of this version");
        }
        // A snapshot made under other rules is still used: once the journal before it is pruned,
        // refusing it would replay only the tail and forget every member's earned trust. The state
        // is data (reports, trust, lookups); the new rules judge it from the next event on.
        in.readLong();
        TrustEngine engine = new TrustEngine(config);
        engine.restoreCounters(in.readLong(), in.readLong(), in.readLong());
        int memberCount = in.readInt();
        Map<Long, MemberState> members = new java.util.HashMap<>(memberCount * 2);
        List<MemberState> order = new ArrayList<>(memberCount);
        for (int i = 0; i < memberCount; i++) {
            MemberState m = readMember(in);
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
        if (version >= 3) {
            engine.trustedRule().read(in); // sections since version 3; before them, trust is derived again from new events
            engine.exclusionBook().read(in, EngineSnapshot::readIp);
            engine.memberBook().cohorts.read(in);
        }
        return engine;
    }

    /** Book evidence first, then the forgotten evidence that something still points at. */
    private static Map<IpEvidence, Integer> indexEvidence(TrustEngine engine, List<MemberState> members) {
        Map<IpEvidence, Integer> index = new IdentityHashMap<>();
        for (IpEvidence e : engine.evidenceBook().inBook()) {
            index.putIfAbsent(e, index.size());
        }
        for (MemberState m : members) {
            for (IpEvidence e : m.recentTargets) {
                index.putIfAbsent(e, index.size());
            }
        }
        for (ExpiryClock.Due d : engine.expiryClock().entries()) {
            index.putIfAbsent(d.ip(), index.size());
        }
        return index;
    }

    private static void writeMember(MemberState m, DataOutput out) throws IOException {
        out.writeLong(m.id);
        out.writeLong(m.joinedAtMillis);
        out.writeDouble(m.earnedTrust);
        out.writeDouble(m.pinnedTrust);
        out.writeInt(m.strikes);
        out.writeInt(m.wrongListings);
        out.writeBoolean(m.suspended);
        out.writeInt(m.confirmedReports);
        out.writeInt(m.earningDays);
        out.writeLong(m.lastEarnDay);
        out.writeInt(m.earnedThatDay);
        out.writeDouble(m.claims);
        out.writeDouble(m.confirmedClaims);
        out.writeLong(m.claimsAt);
        out.writeDouble(m.precisionBound);
    }

    private static MemberState readMember(DataInput in) throws IOException {
        MemberState m = new MemberState(in.readLong(), in.readLong(), in.readDouble());
        m.pinnedTrust = in.readDouble();
        m.strikes = in.readInt();
        m.wrongListings = in.readInt();
        m.suspended = in.readBoolean();
        m.confirmedReports = in.readInt();
        m.earningDays = in.readInt();
        m.lastEarnDay = in.readLong();
        m.earnedThatDay = in.readInt();
        m.claims = in.readDouble();
        m.confirmedClaims = in.readDouble();
        m.claimsAt = in.readLong();
        m.precisionBound = in.readDouble();
        return m;
    }

    private static void writeEvidence(IpEvidence e, DataOutput out) throws IOException {
        writeIp(e.ip, out);
        out.writeInt(e.reports.size());
        for (ReportEntry r : e.reports) {
            out.writeLong(r.reportId);
            out.writeLong(r.member.id);
            out.writeBoolean(r.spam);
            out.writeLong(r.atMillis);
            out.writeDouble(r.strength);
            out.writeBoolean(r.agedEnough);
            out.writeByte(r.outcome.ordinal());
            out.writeByte((r.superseded ? 1 : 0) | (r.claim ? 2 : 0) | (r.early ? 4 : 0) | (r.earned ? 8 : 0));
        }
        out.writeInt(e.trapSize);
        out.writeBoolean(e.trapMembers != null);
        for (int i = 0; i < e.trapSize; i++) {
            out.writeLong(e.trapTimes[i]);
            out.writeInt(e.trapCounts[i]);
            if (e.trapMembers != null) {
                MemberState by = e.trapMembers[i];
                out.writeBoolean(by != null);
                out.writeLong(by == null ? 0 : by.id);
            }
        }
        IpEvidenceFields.write(e, out);
    }

    private static IpEvidence readEvidence(DataInput in, Map<Long, MemberState> members) throws IOException {
        IpEvidence e = new IpEvidence(readIp(in));
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
            e.reports.add(r);
        }
        int traps = in.readInt();
        boolean withMembers = in.readBoolean();
        e.trapTimes = new long[traps];
        e.trapCounts = new int[traps];
        e.trapMembers = withMembers ? new MemberState[traps] : null;
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
        IpEvidenceFields.read(e, in);
        return e;
    }

    private static MemberState member(Map<Long, MemberState> members, long id) throws IOException {
        MemberState m = members.get(id);
        if (m == null) {
            throw new IOException("snapshot refers to member " + id + " it does not hold");
        }
        return m;
    }

    /** Who points at which evidence: members' recent targets, the listing order, the expiry queue, block counts. */
    private static void writeReferences(TrustEngine engine, List<MemberState> members, Map<IpEvidence, Integer> index,
                                        DataOutput out) throws IOException {
        EvidenceBook book = engine.evidenceBook();
        IdentityHashMap<IpEvidence, Boolean> inBook = new IdentityHashMap<>();
        for (IpEvidence e : book.inBook()) {
            inBook.put(e, Boolean.TRUE);
        }
        for (IpEvidence e : index.keySet()) { // whether each is in the book, in index order on reading
            out.writeInt(index.get(e));
            out.writeBoolean(inBook.containsKey(e));
        }
        for (MemberState m : members) {
            out.writeInt(m.recentTargets.size());
            for (int i = 0; i < m.recentTargets.size(); i++) {
                out.writeInt(index.get(m.recentTargets.get(i)));
                out.writeLong(m.recentTargetTimes.get(i));
            }
        }
        out.writeInt(book.listedCount());
        for (IpEvidence e : book.listed()) {
            out.writeInt(index.get(e));
        }
        for (boolean v6 : new boolean[] {false, true}) {
            boolean[] seen = book.prefixesSeen(v6);
            for (boolean b : seen) {
                out.writeBoolean(b);
            }
            int[] inUse = book.prefixesInUse(v6);
            out.writeInt(inUse.length);
            for (int p : inUse) {
                out.writeInt(p);
            }
        }
        out.writeInt(book.listedPerBlock().size());
        for (Map.Entry<IpBlock, int[]> c : book.listedPerBlock().entrySet()) {
            writeIp(c.getKey(), out);
            out.writeInt(c.getValue()[0]);
        }
        List<ExpiryClock.Due> due = new ArrayList<>();
        engine.expiryClock().entries().forEach(due::add);
        out.writeInt(due.size());
        for (ExpiryClock.Due d : due) {
            out.writeLong(d.atMillis());
            out.writeInt(index.get(d.ip()));
        }
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
                m.recentTargets.add(evidence[in.readInt()]);
                m.recentTargetTimes.add(in.readLong());
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
            book.listedPerBlock().put(readIp(in), new int[] {in.readInt()});
        }
        int due = in.readInt();
        for (int i = 0; i < due; i++) {
            long at = in.readLong();
            engine.expiryClock().schedule(evidence[in.readInt()], at);
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
