package net.trustbl.engine;

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
 * account at a time. Pinned members are never suspect.
 */
final class CohortWatch {

    private final EngineConfig config;
    /** Creation time of each struck reporter and until when its cohort is suspect. */
    private long[] joined = new long[8];
    private long[] until = new long[8];
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
                add(m.joinedAtMillis, now);
            }
        }
    }

    /**
     * A coalition's signature was seen on an address (see Judgement#coalitionTarget): the cohort
     * of each of its unpinned reporters counts as on probation from {@code now}.
     */
    void coalitionSeen(List<MemberState> reporters, long now) {
        if (config.cohortSuspectMillis() <= 0) {
            return;
        }
        for (MemberState m : reporters) {
            if (!m.pinned()) {
                add(m.joinedAtMillis, now);
            }
        }
    }

    private boolean hasCohortPeer(List<MemberState> struck, MemberState m) {
        for (MemberState other : struck) {
            if (other != m && !other.pinned() && Math.abs(other.joinedAtMillis - m.joinedAtMillis) <= config.cohortMillis()) {
                return true;
            }
        }
        return false;
    }

    private void add(long joinedAt, long now) {
        int kept = 0;
        for (int i = 0; i < size; i++) { // expired entries go
            if (until[i] > now) {
                joined[kept] = joined[i];
                until[kept++] = until[i];
            }
        }
        size = kept;
        if (size == joined.length) {
            joined = Arrays.copyOf(joined, size * 2);
            until = Arrays.copyOf(until, size * 2);
        }
        joined[size] = joinedAt;
        until[size++] = now + config.cohortSuspectMillis();
        version++;
    }

    /** Whether {@code m}'s account was created close to that of a reporter of a wrong listing (lately). */
    boolean suspect(MemberState m, long now) {
        if (size == 0 || m.pinned()) {
            return false;
        }
        if (m.cohortVersion != version) {
            long latest = Long.MIN_VALUE;
            for (int i = 0; i < size; i++) {
                if (Math.abs(joined[i] - m.joinedAtMillis) <= config.cohortMillis()) {
                    latest = Math.max(latest, until[i]);
                }
            }
            m.suspectUntil = latest;
            m.cohortVersion = version;
        }
        return now < m.suspectUntil;
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(joined[i]);
            out.writeLong(until[i]);
        }
    }

    void read(DataInput in) throws IOException {
        size = 0;
        version++;
        int n = in.readInt();
        joined = new long[Math.max(8, n)];
        until = new long[Math.max(8, n)];
        for (int i = 0; i < n; i++) {
            joined[i] = in.readLong();
            until[i] = in.readLong();
        }
        size = n;
    }
}
