package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.io.IOException;
import java.util.IdentityHashMap;

/**
 * One address's evidence in snapshot format 3: the address, its reports and trap hits (members by
 * their index in the snapshot), then only the groups of plain fields that differ from a new
 * address's (most addresses carry lookup counts and nothing else), announced by a bit mask.
 */
final class EvidenceCodec {

    private static final ReportOutcome[] OUTCOMES = ReportOutcome.values();
    private static final int MAX_ITEMS = 1 << 24;

    private static final int LOOKUPS = 1;
    private static final int BAR = 2;
    private static final int TRAFFIC = 4;
    private static final int FIRST_TRAFFIC = 8;
    private static final int LAPSED = 16;
    private static final int LISTING = 32;
    private static final int FLAGS = 64;
    private static final int STRUCK = 128;
    /** In the flags byte: the address is a coalition's target, and until when follows the group. */
    private static final int COALITION_TARGET = 32;
    /** In the flags byte: a delisting request on the listing was counted (IpEvidence#contested); snapshots before it never set it. */
    private static final int CONTESTED = 64;
    /** In the flags byte: a moderator found no spam on the address (a listing wrong, a hold turned down); when, and whether its hold came of that, follow (IpEvidence#clearedByModeratorAt); snapshots before it never set it. */
    private static final int MODERATOR_CLEARED = 128;

    private EvidenceCodec() {
    }

    static void write(IpEvidence e, IdentityHashMap<MemberState, Integer> members, SnapshotOut out) throws IOException {
        writeIp(e.ip, out);
        out.writeCount(e.reports.size());
        for (ReportEntry r : e.reports) {
            out.writeLong(r.reportId);
            out.writeCount(members.get(r.member));
            out.writeLong(r.atMillis);
            out.writeDouble(r.strength);
            out.writeByte((r.spam ? 1 : 0) | (r.agedEnough ? 2 : 0) | (r.superseded ? 4 : 0) | (r.claim ? 8 : 0)
                    | (r.early ? 16 : 0) | (r.earned ? 32 : 0) | r.outcome.ordinal() << 6);
        }
        out.writeCount(e.trapSize);
        if (e.trapSize > 0) {
            out.writeByte(e.trapMembers != null ? 1 : 0);
            for (int i = 0; i < e.trapSize; i++) {
                out.writeLong(e.trapTimes[i]);
                out.writeInt(e.trapCounts[i]);
                if (e.trapMembers != null) {
                    MemberState by = e.trapMembers[i];
                    out.writeCount(by == null ? 0 : members.get(by) + 1);
                }
            }
        }
        writeFields(e, out);
    }

    static IpEvidence read(MemberState[] members, SnapshotIn in) throws IOException {
        IpEvidence e = new IpEvidence(readIp(in));
        int reports = in.readCount(MAX_ITEMS);
        e.reports.ensureCapacity(reports);
        for (int i = 0; i < reports; i++) {
            long id = in.readLong();
            MemberState by = member(members, in.readCount());
            long at = in.readLong();
            double strength = in.readDouble();
            int bits = in.readByte();
            ReportEntry r = new ReportEntry(id, by, (bits & 1) != 0, at, strength, (bits & 2) != 0);
            r.superseded = (bits & 4) != 0;
            r.claim = (bits & 8) != 0;
            r.early = (bits & 16) != 0;
            r.earned = (bits & 32) != 0;
            r.outcome = OUTCOMES[bits >>> 6];
            e.addReport(r);
        }
        int traps = in.readCount(MAX_ITEMS);
        if (traps > 0) {
            boolean withMembers = in.readByte() == 1;
            e.newTraps(traps, withMembers);
            for (int i = 0; i < traps; i++) {
                e.trapTimes[i] = in.readLong();
                e.trapCounts[i] = in.readInt();
                if (withMembers) {
                    int by = in.readCount();
                    e.trapMembers[i] = by == 0 ? null : member(members, by - 1);
                }
            }
            e.trapSize = traps;
        }
        readFields(e, in);
        return e;
    }

    private static void writeFields(IpEvidence e, SnapshotOut out) throws IOException {
        int flags = flags(e);
        int mask = (e.lookupLevel != 0 || e.lookupsAt != 0 ? LOOKUPS : 0)
                | (e.barFactor != 1 || e.barAt != Long.MIN_VALUE ? BAR : 0)
                | (e.trafficDays != 0 || e.lastTrafficDay != Long.MIN_VALUE || e.lookupsThatDay != 0 ? TRAFFIC : 0)
                | (e.firstTrafficAt != Long.MIN_VALUE ? FIRST_TRAFFIC : 0)
                | (e.lapsedAt != 0 ? LAPSED : 0)
                | (e.returnCode != 0 || e.listedSinceMillis != 0 || e.expiresAtMillis != 0 ? LISTING : 0)
                | (flags != 0 || e.escalatedFrom != 0 ? FLAGS : 0)
                | (e.struckMembers.length != 0 ? STRUCK : 0);
        out.writeByte(mask);
        if ((mask & LOOKUPS) != 0) {
            out.writeDouble(e.lookupLevel);
            out.writeLong(e.lookupsAt);
        }
        if ((mask & BAR) != 0) {
            out.writeDouble(e.barFactor);
            out.writeLong(e.barAt);
        }
        if ((mask & TRAFFIC) != 0) {
            out.writeLong(e.trafficDays);
            out.writeLong(e.lastTrafficDay);
            out.writeDouble(e.lookupsThatDay);
        }
        if ((mask & FIRST_TRAFFIC) != 0) {
            out.writeLong(e.firstTrafficAt);
        }
        if ((mask & LAPSED) != 0) {
            out.writeLong(e.lapsedAt);
        }
        if ((mask & LISTING) != 0) {
            out.writeInt(e.returnCode);
            out.writeLong(e.listedSinceMillis);
            out.writeLong(e.expiresAtMillis);
        }
        if ((mask & FLAGS) != 0) {
            out.writeByte(flags);
            out.writeInt(e.escalatedFrom);
            if ((flags & COALITION_TARGET) != 0) {
                out.writeLong(e.coalitionTargetUntil);
            }
            if ((flags & MODERATOR_CLEARED) != 0) {
                out.writeLong(e.clearedByModeratorAt);
                out.writeByte(e.heldAfterClearing ? 1 : 0);
            }
        }
        if ((mask & STRUCK) != 0) {
            out.writeCount(e.struckMembers.length);
            for (long id : e.struckMembers) {
                out.writeLong(id);
            }
        }
    }

    private static void readFields(IpEvidence e, SnapshotIn in) throws IOException {
        int mask = in.readByte();
        if ((mask & LOOKUPS) != 0) {
            e.lookupLevel = in.readDouble();
            e.lookupsAt = in.readLong();
        }
        if ((mask & BAR) != 0) {
            e.barFactor = in.readDouble();
            e.barAt = in.readLong();
        }
        if ((mask & TRAFFIC) != 0) {
            e.trafficDays = in.readLong();
            e.lastTrafficDay = in.readLong();
            e.lookupsThatDay = in.readDouble();
        }
        if ((mask & FIRST_TRAFFIC) != 0) {
            e.firstTrafficAt = in.readLong();
        }
        if ((mask & LAPSED) != 0) {
            e.lapsedAt = in.readLong();
        }
        if ((mask & LISTING) != 0) {
            e.returnCode = in.readInt();
            e.listedSinceMillis = in.readLong();
            e.expiresAtMillis = in.readLong();
        }
        if ((mask & FLAGS) != 0) {
            int flags = in.readByte();
            setFlags(e, flags);
            e.escalatedFrom = in.readInt();
            if ((flags & COALITION_TARGET) != 0) {
                e.coalitionTargetUntil = in.readLong(); // snapshots before this field never set the flag
            }
            if ((flags & MODERATOR_CLEARED) != 0) {
                e.clearedByModeratorAt = in.readLong();
                e.heldAfterClearing = in.readByte() != 0;
            }
        }
        if ((mask & STRUCK) != 0) {
            long[] struck = new long[in.readCount(MAX_ITEMS)];
            for (int i = 0; i < struck.length; i++) {
                struck[i] = in.readLong();
            }
            e.struckMembers = struck;
        }
    }

    private static int flags(IpEvidence e) {
        return (e.held ? 1 : 0) | (e.volumeWaived ? 2 : 0) | (e.escalated ? 4 : 0) | (e.escalationVetoed ? 8 : 0)
                | (e.disputed ? 16 : 0) | (e.coalitionTargetUntil != 0 ? COALITION_TARGET : 0) | (e.contested ? CONTESTED : 0)
                | (e.clearedByModeratorAt != 0 ? MODERATOR_CLEARED : 0);
    }

    static void setFlags(IpEvidence e, int flags) {
        e.held = (flags & 1) != 0;
        e.volumeWaived = (flags & 2) != 0;
        e.escalated = (flags & 4) != 0;
        e.escalationVetoed = (flags & 8) != 0;
        e.disputed = (flags & 16) != 0;
        e.contested = (flags & CONTESTED) != 0; // formats before it (2 included) never set it: not yet contested
    }

    private static MemberState member(MemberState[] members, int index) throws IOException {
        if (index >= members.length) {
            throw new IOException("the snapshot refers to member #" + index + " it does not hold");
        }
        return members[index];
    }

    /** A single IPv4 address in 5 bytes (most of the book), any other block in 18 or 34. */
    static void writeIp(IpBlock ip, SnapshotOut out) throws IOException {
        if (!ip.isV6() && ip.prefixLength() == 32) {
            out.writeByte(0);
            out.writeInt(ip.v4());
        } else if (!ip.isV6()) {
            out.writeByte(1);
            out.writeByte(ip.prefixLength());
            out.writeInt(ip.v4());
        } else {
            out.writeByte(2);
            out.writeByte(ip.prefixLength());
            out.writeLong(ip.hi());
            out.writeLong(ip.lo());
        }
    }

    static IpBlock readIp(SnapshotIn in) throws IOException {
        int kind = in.readByte();
        return switch (kind) {
            case 0 -> IpBlock.ofV4(in.readInt(), 32);
            case 1 -> {
                int prefix = in.readByte();
                yield IpBlock.ofV4(in.readInt(), prefix);
            }
            case 2 -> {
                int prefix = in.readByte();
                long hi = in.readLong();
                yield IpBlock.ofV6(hi, in.readLong(), prefix);
            }
            default -> throw new IOException("unknown address kind " + kind + " in the snapshot");
        };
    }
}
