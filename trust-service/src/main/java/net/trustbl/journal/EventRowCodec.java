package net.trustbl.journal;

import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.EngineEvent.AddressExcluded;
import net.trustbl.engine.EngineEvent.DelistingDecided;
import net.trustbl.engine.EngineEvent.DelistingRequested;
import net.trustbl.engine.EngineEvent.HoldDismissed;
import net.trustbl.engine.EngineEvent.MemberJoined;
import net.trustbl.engine.EngineEvent.MemberSuspended;
import net.trustbl.engine.EngineEvent.ReportFiled;
import net.trustbl.engine.EngineEvent.TrafficObserved;
import net.trustbl.engine.EngineEvent.TrapHit;
import net.trustbl.engine.EngineEvent.TrustPinned;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Locale;

/** Maps engine events to rows of {@code engine_event} and back (one flat table, nullable columns). */
final class EventRowCodec {

    static final String INSERT = "INSERT INTO engine_event (at, kind, member_id, report_id, ip, verdict, strength, amount, flag, trust) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** A replay: every event after a snapshot's sequence number (0: all), in order. */
    static final String SELECT_AFTER = "SELECT seq, at, kind, member_id, report_id, ip, verdict, strength, amount, flag, trust "
            + "FROM engine_event WHERE seq > ? ORDER BY seq";
    /** A standby's catch-up: the events after a sequence number, in order, a page at a time. */
    static final String SELECT_PAGE_AFTER = "SELECT seq, at, kind, member_id, report_id, ip, verdict, strength, amount, flag, trust "
            + "FROM engine_event WHERE seq > ? ORDER BY seq LIMIT ?";

    private EventRowCodec() {
    }

    /** Binds {@code e} to the INSERT statement; false for events that are not stored (ticks). */
    static boolean bind(PreparedStatement ps, EngineEvent e) throws SQLException {
        ps.setTimestamp(1, new Timestamp(e.atMillis()));
        Long member = null;
        Long report = null;
        String ip = null;
        String verdict = null;
        Double strength = null;
        Long amount = null;
        Boolean flag = null;
        Double trust = null;
        String kind;
        if (e instanceof MemberJoined j) {
            kind = "join";
            member = j.memberId();
        } else if (e instanceof ReportFiled r) {
            kind = "report";
            member = r.memberId();
            report = r.reportId();
            ip = r.target().toString();
            verdict = r.verdict().name().toLowerCase(Locale.ROOT);
            strength = r.strength();
        } else if (e instanceof TrapHit t) {
            kind = "trap";
            member = t.memberId(); // NULL: the operator's trap network
            ip = t.ip().toString();
            amount = (long) t.hits();
        } else if (e instanceof TrafficObserved t) {
            kind = "traffic";
            ip = t.ip().toString();
            amount = t.lookups();
        } else if (e instanceof DelistingRequested d) {
            kind = "request";
            ip = d.ip().toString();
        } else if (e instanceof DelistingDecided d) {
            kind = "delist";
            ip = d.ip().toString();
            flag = d.upheld();
        } else if (e instanceof HoldDismissed h) {
            kind = "dismiss";
            ip = h.ip().toString();
        } else if (e instanceof AddressExcluded x) {
            kind = "exclude";
            ip = x.ip().toString();
        } else if (e instanceof TrustPinned p) {
            kind = "pin";
            member = p.memberId();
            trust = p.trust();
        } else if (e instanceof MemberSuspended s) {
            kind = "suspend";
            member = s.memberId();
            flag = s.suspended();
        } else {
            return false; // ticks are applied, never stored
        }
        ps.setString(2, kind);
        setLong(ps, 3, member);
        setLong(ps, 4, report);
        ps.setString(5, ip);
        ps.setString(6, verdict);
        if (strength == null) {
            ps.setNull(7, Types.DOUBLE);
        } else {
            ps.setDouble(7, strength);
        }
        setLong(ps, 8, amount);
        if (flag == null) {
            ps.setNull(9, Types.BOOLEAN);
        } else {
            ps.setBoolean(9, flag);
        }
        if (trust == null) {
            ps.setNull(10, Types.DOUBLE);
        } else {
            ps.setDouble(10, trust);
        }
        return true;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    /** Reads the current row of a SELECT result back into the event it was written from. */
    static EngineEvent read(ResultSet rs) throws SQLException {
        long at = rs.getTimestamp("at").getTime();
        String kind = rs.getString("kind");
        return switch (kind) {
            case "join" -> new MemberJoined(rs.getLong("member_id"), at);
            case "report" -> new ReportFiled(rs.getLong("report_id"), rs.getLong("member_id"),
                    IpBlock.parse(rs.getString("ip")), Verdict.parse(rs.getString("verdict")),
                    rs.getDouble("strength"), at);
            case "trap" -> {
                // rows written before trap hits carried their submitter have NULL here: they came
                // from admins and trusted gateways and are replayed as the operator's (full weight),
                // so a rebuild gives exactly the listings those rows made
                long member = rs.getLong("member_id");
                Long by = rs.wasNull() ? null : member;
                yield new TrapHit(IpBlock.parse(rs.getString("ip")), (int) rs.getLong("amount"), by, at);
            }
            case "traffic" -> new TrafficObserved(IpBlock.parse(rs.getString("ip")), rs.getLong("amount"), at);
            case "request" -> new DelistingRequested(IpBlock.parse(rs.getString("ip")), at);
            case "delist" -> new DelistingDecided(IpBlock.parse(rs.getString("ip")), rs.getBoolean("flag"), at);
            case "exclude" -> new AddressExcluded(IpBlock.parse(rs.getString("ip")), at);
            case "dismiss" -> new HoldDismissed(IpBlock.parse(rs.getString("ip")), at);
            case "pin" -> {
                double t = rs.getDouble("trust");
                yield new TrustPinned(rs.getLong("member_id"), rs.wasNull() ? null : t, at);
            }
            case "suspend" -> new MemberSuspended(rs.getLong("member_id"), rs.getBoolean("flag"), at);
            default -> throw new IllegalStateException("unknown engine_event kind " + kind);
        };
    }

    /** The same event with the journal's clock as its time. */
    static EngineEvent at(EngineEvent e, long at) {
        if (e instanceof MemberJoined j) {
            return new MemberJoined(j.memberId(), at);
        } else if (e instanceof ReportFiled r) {
            return new ReportFiled(r.reportId(), r.memberId(), r.target(), r.verdict(), r.strength(), at);
        } else if (e instanceof TrapHit t) {
            return new TrapHit(t.ip(), t.hits(), t.memberId(), at);
        } else if (e instanceof TrafficObserved t) {
            return new TrafficObserved(t.ip(), t.lookups(), at);
        } else if (e instanceof DelistingRequested d) {
            return new DelistingRequested(d.ip(), at);
        } else if (e instanceof DelistingDecided d) {
            return new DelistingDecided(d.ip(), d.upheld(), at);
        } else if (e instanceof HoldDismissed h) {
            return new HoldDismissed(h.ip(), at);
        } else if (e instanceof AddressExcluded x) {
            return new AddressExcluded(x.ip(), at);
        } else if (e instanceof TrustPinned p) {
            return new TrustPinned(p.memberId(), p.trust(), at);
        } else if (e instanceof MemberSuspended s) {
            return new MemberSuspended(s.memberId(), s.suspended(), at);
        }
        return new EngineEvent.Tick(at);
    }
}
