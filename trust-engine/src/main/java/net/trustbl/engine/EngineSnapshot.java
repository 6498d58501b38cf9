package net.trustbl.engine;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * the whole history. Object identity is kept: evidence in the book is referred to by its address,
 * evidence the weekly sweep forgot but a member or the expiry queue still points at is written
 * once more and referred to by its index. Scratch state (score tallies) is not part of it; the
 * rules are not either: a snapshot carries a fingerprint of the rules it was made under
 * ({@link #rulesFingerprint}), kept for the record; the state is restored under the current
 * rules either way (see {@link #read}).
 *
 * <p>Format 3: primitives little-endian through a private buffer ({@link SnapshotOut}), members
 * by index, per address only the field groups that differ from a new address's
 * ({@link EvidenceCodec}); restoring a million addresses takes about a second instead of a
 * minute. Format 2 (DataOutput) is still read ({@link EngineSnapshotV2}), never written.
 */
public final class EngineSnapshot {

    private static final int MAGIC = 0x54424c53; // "TBLS"
    /** 2: first lookup time, wrong listings per member; 3: compact little-endian format, members by index, rule sections. */
    public static final int VERSION = 3;
    private static final int MAX_ITEMS = 1 << 28;

    private EngineSnapshot() {
    }

    /** Identifies the rules: an engine restored under other rules would not be the one a replay gives. */
    public static long rulesFingerprint(EngineConfig config) {
        CRC32 crc = new CRC32();
        crc.update(config.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /**
     * Writes {@code engine}'s state (and flushes {@code sink}); nothing may change the engine
     * meanwhile. It only reads the engine, so other readers may go on.
     */
    public static void write(TrustEngine engine, OutputStream sink) throws IOException {
        SnapshotOut out = new SnapshotOut(sink);
        writeHeaderInt(out, MAGIC);
        writeHeaderInt(out, VERSION);
        out.writeLong(rulesFingerprint(engine.config()));
        for (long c : engine.counters()) {
            out.writeLong(c);
        }
        List<MemberState> members = new ArrayList<>(engine.memberBook().all());
        IdentityHashMap<MemberState, Integer> memberIndex = new IdentityHashMap<>(members.size() * 2);
        out.writeCount(members.size());
        for (MemberState m : members) {
            memberIndex.put(m, memberIndex.size());
            writeMember(m, out);
        }
        EvidenceBook book = engine.evidenceBook();
        out.writeCount(book.size());
        for (IpEvidence e : book.inBook()) {
            EvidenceCodec.write(e, memberIndex, out);
        }
        Map<IpEvidence, Integer> forgotten = forgottenButReferenced(engine, members);
        out.writeCount(forgotten.size());
        for (IpEvidence e : forgotten.keySet()) { // an IdentityHashMap iterates in no set order: written by index
            out.writeCount(forgotten.get(e));
            EvidenceCodec.write(e, memberIndex, out);
        }
        new References(book, forgotten).write(engine, members, out);
        SnapshotSections.write(engine, out); // trusted senders, exclusions, suspect cohorts
        out.writeInt(MAGIC); // a snapshot cut short or misread fails here instead of restoring garbage
        out.flush();
        sink.flush();
    }

    /**
     * Reads a state {@link #write} wrote (format 3, or 2 of earlier services) into a fresh engine
     * with {@code config}'s rules.
     */
    public static TrustEngine read(EngineConfig config, InputStream source) throws IOException {
        int magic = readHeaderInt(source);
        int version = readHeaderInt(source);
        if (magic != MAGIC || (version != VERSION && version != 2)) {
            throw new IOException("not a trust engine snapshot of format 2 or " + VERSION + " (format " + version + ")");
        }
        if (version == 2) {
            return EngineSnapshotV2.read(config, new DataInputStream(new BufferedInputStream(source, 1 << 16)));
        }
        SnapshotIn in = new SnapshotIn(source);
        // A snapshot made under other rules is still used: once the journal before it is pruned,
        // refusing it would replay only the tail and forget every member's earned trust. The state
        // is data (reports, trust, lookups); the new rules judge it from the next event on.
        in.readLong();
        TrustEngine engine = new TrustEngine(config);
        engine.restoreCounters(in.readLong(), in.readLong(), in.readLong());
        MemberState[] members = new MemberState[in.readCount(MAX_ITEMS)];
        for (int i = 0; i < members.length; i++) {
            members[i] = readMember(in);
            engine.memberBook().restore(members[i]);
        }
        EvidenceBook book = engine.evidenceBook();
        int inBook = in.readCount(MAX_ITEMS);
        for (int i = 0; i < inBook; i++) {
            book.restore(EvidenceCodec.read(members, in));
        }
        IpEvidence[] forgotten = new IpEvidence[in.readCount(MAX_ITEMS)];
        for (int i = 0; i < forgotten.length; i++) {
            int at = in.readCount(forgotten.length - 1);
            forgotten[at] = EvidenceCodec.read(members, in);
        }
        References.read(engine, members, forgotten, in);
        SnapshotSections.read(engine, in);
        if (in.readInt() != MAGIC) {
            throw new IOException("the snapshot's end marker is missing: damaged");
        }
        return engine;
    }

    /** Evidence no longer in the book that a member's recent targets or the expiry queue still point at. */
    private static Map<IpEvidence, Integer> forgottenButReferenced(TrustEngine engine, List<MemberState> members) {
        EvidenceBook book = engine.evidenceBook();
        Map<IpEvidence, Integer> index = new IdentityHashMap<>();
        for (MemberState m : members) {
            for (IpEvidence e : m.recentTargets) {
                if (book.get(e.ip) != e) {
                    index.putIfAbsent(e, index.size());
                }
            }
        }
        for (ExpiryClock.Due d : engine.expiryClock().entries()) {
            if (book.get(d.ip().ip) != d.ip()) {
                index.putIfAbsent(d.ip(), index.size());
            }
        }
        for (IpEvidence e : book.listed()) {
            if (book.get(e.ip) != e) {
                index.putIfAbsent(e, index.size());
            }
        }
        return index;
    }

    private static void writeMember(MemberState m, SnapshotOut out) throws IOException {
        out.writeLong(m.id);
        out.writeLong(m.joinedAtMillis);
        out.writeDouble(m.earnedTrust);
        out.writeDouble(m.pinnedTrust);
        out.writeInt(m.strikes);
        out.writeInt(m.wrongListings);
        out.writeByte(m.suspended ? 1 : 0);
        out.writeInt(m.confirmedReports);
        out.writeInt(m.earningDays);
        out.writeLong(m.lastEarnDay);
        out.writeInt(m.earnedThatDay);
        out.writeDouble(m.claims);
        out.writeDouble(m.confirmedClaims);
        out.writeLong(m.claimsAt);
        out.writeDouble(m.precisionBound);
    }

    /** One member record; format 2 wrote the same fields in the same order. */
    static MemberState readMember(SnapshotFields in) throws IOException {
        MemberState m = new MemberState(in.readLong(), in.readLong(), in.readDouble());
        m.pinnedTrust = in.readDouble();
        m.strikes = in.readInt();
        m.wrongListings = in.readInt();
        m.suspended = in.readByte() != 0;
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

    /** The header stays big-endian, as format 2 wrote it, so that any version reads the version. */
    private static void writeHeaderInt(SnapshotOut out, int v) throws IOException {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.writeByte(v >>> shift);
        }
    }

    private static int readHeaderInt(InputStream in) throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("not a trust engine snapshot: too short");
            }
            v = v << 8 | b;
        }
        return v;
    }
}
