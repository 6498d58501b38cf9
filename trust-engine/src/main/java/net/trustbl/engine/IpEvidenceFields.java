package net.trustbl.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The plain fields of {@link IpEvidence} for {@link EngineSnapshot} (reports and traps are written there). */
final class IpEvidenceFields {

    private IpEvidenceFields() {
    }

    static void write(IpEvidence e, DataOutput out) throws IOException {
        out.writeDouble(e.lookupLevel);
        out.writeLong(e.lookupsAt);
        out.writeDouble(e.barFactor);
        out.writeLong(e.barAt);
        out.writeLong(e.trafficDays);
        out.writeLong(e.lastTrafficDay);
        out.writeDouble(e.lookupsThatDay);
        out.writeLong(e.lapsedAt);
        out.writeLong(e.firstTrafficAt);
        out.writeInt(e.returnCode);
        out.writeLong(e.listedSinceMillis);
        out.writeLong(e.expiresAtMillis);
        out.writeByte((e.held ? 1 : 0) | (e.volumeWaived ? 2 : 0) | (e.escalated ? 4 : 0)
                | (e.escalationVetoed ? 8 : 0) | (e.disputed ? 16 : 0));
        out.writeInt(e.escalatedFrom);
        out.writeInt(e.struckMembers.length);
        for (long id : e.struckMembers) {
            out.writeLong(id);
        }
    }

    static void read(IpEvidence e, DataInput in) throws IOException {
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
        int flags = in.readByte();
        e.held = (flags & 1) != 0;
        e.volumeWaived = (flags & 2) != 0;
        e.escalated = (flags & 4) != 0;
        e.escalationVetoed = (flags & 8) != 0;
        e.disputed = (flags & 16) != 0;
        e.escalatedFrom = in.readInt();
        long[] struck = new long[in.readInt()];
        for (int i = 0; i < struck.length; i++) {
            struck[i] = in.readLong();
        }
        e.struckMembers = struck;
    }
}
