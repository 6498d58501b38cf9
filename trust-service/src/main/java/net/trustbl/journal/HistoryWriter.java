package net.trustbl.journal;

import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.SplittableRandom;

/**
 * Writes a synthetic journal history for {@code ops/bench/replay} through the journal's own row
 * codec ({@link EventRowCodec}), in batched inserts: member sign-ups, then {@code events} events
 * spread evenly over {@code days} days ending now — lookup counts (rolled up per address),
 * members' spam and positive reports, trap hits — over one address per ten events (a million at
 * ten million events), of which about one in ten sends spam and ends up listed. Run with the service's class path; not used by the service itself.
 *
 * <pre>java -cp … net.trustbl.journal.HistoryWriter JDBC_URL USER PASSWORD EVENTS DAYS</pre>
 */
public final class HistoryWriter {

    private static final int MEMBERS = 10_000;
    private static final int BATCH = 5_000;
    /** One address in this many sends spam (the rest are looked up and, rarely, reported). */
    private static final int SPAMMER_EVERY = 10;

    private HistoryWriter() {
    }

    public static void main(String[] args) throws SQLException {
        long events = Long.parseLong(args[3]);
        int days = Integer.parseInt(args[4]);
        long end = System.currentTimeMillis();
        long start = end - days * 86_400_000L;
        int addresses = (int) Math.max(1_000, events / 10);
        SplittableRandom rnd = new SplittableRandom(14);
        try (Connection c = DriverManager.getConnection(args[0] + (args[0].contains("?") ? "&" : "?") + "reWriteBatchedInserts=true",
                args[1], args[2])) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(EventRowCodec.INSERT)) {
                int pending = 0;
                for (long m = 1; m <= MEMBERS; m++) {
                    pending = add(ps, new EngineEvent.MemberJoined(1_000_000 + m, start - 10 * 86_400_000L), pending, c);
                }
                long reportId = 1_000_000_000L;
                for (long i = 0; i < events; i++) {
                    long at = start + (end - start) * i / events;
                    int n = rnd.nextInt(addresses);
                    EngineEvent e = event(rnd, address(n), n % SPAMMER_EVERY == 0, ++reportId, at);
                    pending = add(ps, e, pending, c);
                }
                ps.executeBatch();
                c.commit();
            }
        }
    }

    /**
     * One event about {@code ip}, in the mix the simulator's worlds show: most addresses are only
     * looked up (with now and then a member's "not spam" or a lone complaint, which lists nothing);
     * one in {@link #SPAMMER_EVERY} sends spam and draws complaints and trap hits. A mix that
     * reported every address (90 % listed, as before) measured a blocklist of a size no network has.
     */
    private static EngineEvent event(SplittableRandom rnd, IpBlock ip, boolean spammer, long reportId, long at) {
        int kind = rnd.nextInt(100);
        long member = 1_000_001 + rnd.nextInt(MEMBERS);
        if (spammer) {
            if (kind < 30) {
                return new EngineEvent.TrafficObserved(ip, 1 + rnd.nextInt(40), at);
            }
            return kind < 85 ? new EngineEvent.ReportFiled(reportId, member, ip, Verdict.SPAM, 1.0, at)
                    : new EngineEvent.TrapHit(ip, 1 + rnd.nextInt(3), null, at);
        }
        if (kind < 95) {
            return new EngineEvent.TrafficObserved(ip, 1 + rnd.nextInt(40), at);
        }
        return new EngineEvent.ReportFiled(reportId, member, ip, kind < 99 ? Verdict.TRUSTED : Verdict.SPAM, 1.0, at);
    }

    private static int add(PreparedStatement ps, EngineEvent e, int pending, Connection c) throws SQLException {
        EventRowCodec.bind(ps, e);
        ps.addBatch();
        if (++pending < BATCH) {
            return pending;
        }
        ps.executeBatch();
        c.commit();
        return 0;
    }

    /** Addresses in ordinary public space (first octets 20..219), spread over many /24s. */
    private static IpBlock address(int n) {
        int first = 20 + (n % 200);
        int rest = (int) ((n * 2_654_435_761L) & 0xffffff);
        return IpBlock.ofV4((first << 24) | rest, 32);
    }
}
