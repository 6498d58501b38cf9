package net.trustbl.engine;

import net.trustbl.address.IpBlock;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Accounts created together are one voice. When a listing is found wrong and two or more of its
 * struck reporters were created within {@link EngineConfig#cohortMillis()} of each other (the
 * mark of a coalition of accounts opened together; one careless member's error is not), every
 * account created within that time of them counts as on probation for
 * {@link EngineConfig#cohortSuspectMillis()}: it no longer lists on its own, not even a new
 * sender. A farmed coalition thus loses its power after its first wrong listing, not one struck
 * account at a time. A coalition's signature on a new sender (Judgement#markCoalition) marks the
 * accounts created within a day of its reporters the same way, before any moderator acts. A mark
 * that rests on a signature alone is lifted when that address proves to send spam after all (the
 * operator's trap hits or a moderator list it): farming accounts that report fresh spam early leave
 * the same signature on a spam source, and holding everything they report for weeks costs recall.
 * A contested listing (ContestedListings) marks the accounts created near its reporters the same
 * way until a moderator decides, at most {@link EngineConfig#contestHoldMillis()}.
 * Pinned members are never suspect.
 */
final class CohortWatch {

    /** A coalition's accounts are marked within this much of their own creation times (not a whole cohort window). */
    static final long COALITION_MARGIN_MILLIS = EngineConfig.DAY;

    private final EngineConfig config;
    /** Creation-time ranges of suspect accounts and until when each is suspect. */
    private long[] from = new long[8];
    private long[] to = new long[8];
    private long[] until = new long[8];
    /** The address whose coalition signature made the entry; null for a wrong listing's entry. */
    private IpBlock[] signature = new IpBlock[8];
    private int size;
    /** Bumped on every change: members cache their verdict against it (a tally asks per report). */
    private long version;

    CohortWatch(EngineConfig config) {
        this.config = config;
    }

    /** A listing was found wrong at {@code now}; {@code struck} are the reporters struck for it. */
    void wrongListing(List<MemberState> struck, long now) {
        if (config.cohortSuspectMillis() <= 0 || struck.size() < 2) {
            return;
        }
        for (int i = 0; i < struck.size(); i++) {
            MemberState m = struck.get(i);
            if (!m.pinned() && hasCohortPeer(struck, m)) {
                add(m.joinedAtMillis - config.cohortMillis(), m.joinedAtMillis + config.cohortMillis(), now, now + config.cohortSuspectMillis(), null);
            }
        }
    }

    /**
     * A coalition's signature was seen on an address (see Judgement#markCoalition): accounts
     * created within a day of one of its reporters count as on probation from {@code now}. The
     * mark is narrower than a wrong listing's (a day, not a cohort window) because it rests on a
     * pattern, not on a moderator's finding: honest members who joined in the same weeks keep their voice.
     */
    void coalitionSeen(List<MemberState> reporters, IpBlock signatureOn, long now) {
        if (config.cohortSuspectMillis() <= 0) {
            return;
        }
        long[] joined = reporters.stream().filter(m -> !m.pinned()).mapToLong(m -> m.joinedAtMillis).sorted().toArray();
        for (int i = 0; i < joined.length; ) {
            long lo = joined[i] - COALITION_MARGIN_MILLIS;
            long hi = joined[i] + COALITION_MARGIN_MILLIS;
            while (++i < joined.length && joined[i] - COALITION_MARGIN_MILLIS <= hi) {
                hi = joined[i] + COALITION_MARGIN_MILLIS;
            }
            add(lo, hi, now, now + config.cohortSuspectMillis(), signatureOn);
        }
    }

    /**
     * Someone asked for the delisting of {@code contested}, listed on the word of {@code reporters}
     * (none with six weeks and a half of track record, MemberBook#outlastsAContest): accounts
     * created within a cohort window of one of them count as on probation until a moderator
     * decides (a refusal lifts the mark as a proved signature does), at most
     * {@link EngineConfig#contestHoldMillis()}.
     */
    void contested(List<MemberState> reporters, IpBlock contested, long now) {
        if (config.contestHoldMillis() <= 0) {
            return;
        }
        for (MemberState m : reporters) {
            if (!m.pinned()) {
                add(m.joinedAtMillis - config.cohortMillis(), m.joinedAtMillis + config.cohortMillis(), now,
                        now + config.contestHoldMillis(), contested);
            }
        }
    }

    /**
     * The address a coalition signature showed on turned out to send spam (independent evidence,
     * not members' word): the marks that signature made are lifted. Marks of other signatures or of
     * wrong listings stay. Returns whether it lifted any (members' verdicts, and so tallies, changed).
     */
    boolean signatureProvedSpam(IpBlock ip) {
        boolean lifted = false;
        for (int i = 0; i < size; i++) {
            if (ip.equals(signature[i])) {
                until[i] = 0; // expired: dropped at the next change
                signature[i] = null;
                version++; // members' cached verdicts are stale
                lifted = true;
            }
        }
        return lifted;
    }

    private boolean hasCohortPeer(List<MemberState> struck, MemberState m) {
        for (MemberState other : struck) {
            if (other != m && !other.pinned() && Math.abs(other.joinedAtMillis - m.joinedAtMillis) <= config.cohortMillis()) {
                return true;
            }
        }
        return false;
    }

    private void add(long joinedFrom, long joinedTo, long now, long suspectUntil, IpBlock signatureOn) {
        int kept = 0;
        for (int i = 0; i < size; i++) { // expired entries go
            if (until[i] > now) {
                from[kept] = from[i];
                to[kept] = to[i];
                signature[kept] = signature[i];
                until[kept++] = until[i];
            }
        }
        size = kept;
        if (size == from.length) {
            from = Arrays.copyOf(from, size * 2);
            to = Arrays.copyOf(to, size * 2);
            until = Arrays.copyOf(until, size * 2);
            signature = Arrays.copyOf(signature, size * 2);
        }
        signature[size] = signatureOn;
        from[size] = joinedFrom;
        to[size] = joinedTo;
        until[size++] = suspectUntil;
        version++;
    }

    /** Whether {@code m}'s account was created close to that of a reporter of a wrong listing or a coalition (lately). */
    boolean suspect(MemberState m, long now) {
        if (size == 0 || m.pinned()) {
            return false;
        }
        if (m.cohortVersion != version) {
            refresh(m);
        }
        return now < m.suspectUntil;
    }

    /** The member's cached verdict after a change (apart, so that the check above stays small enough to inline into every tally). */
    private void refresh(MemberState m) {
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            if (from[i] <= m.joinedAtMillis && m.joinedAtMillis <= to[i]) {
                latest = Math.max(latest, until[i]);
            }
        }
        m.suspectUntil = latest;
        m.cohortVersion = version;
    }

    /** Marks the layout with creation ranges (older snapshots hold one creation time per entry, a cohort window around it). */
    private static final int RANGES = -1;
    /** Marks the layout with creation ranges and the signature address of each entry. */
    private static final int SIGNED_RANGES = -2;

    void write(DataOutput out, Exclusions.IpWriter ips) throws IOException {
        out.writeInt(SIGNED_RANGES);
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(from[i]);
            out.writeLong(to[i]);
            out.writeLong(until[i]);
            out.writeBoolean(signature[i] != null);
            if (signature[i] != null) {
                ips.write(signature[i], out);
            }
        }
    }

    void read(DataInput in, Exclusions.IpReader ips) throws IOException {
        size = 0;
        version++;
        int first = in.readInt();
        boolean ranges = first == RANGES || first == SIGNED_RANGES;
        boolean signed = first == SIGNED_RANGES;
        int n = ranges ? in.readInt() : first;
        from = new long[Math.max(8, n)];
        to = new long[Math.max(8, n)];
        until = new long[Math.max(8, n)];
        signature = new IpBlock[Math.max(8, n)];
        for (int i = 0; i < n; i++) {
            long a = in.readLong();
            from[i] = ranges ? a : a - config.cohortMillis();
            to[i] = ranges ? in.readLong() : a + config.cohortMillis();
            until[i] = in.readLong();
            signature[i] = signed && in.readBoolean() ? ips.read(in) : null;
        }
        size = n;
    }
}
