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
 * ten million events). Run with the service's class path; not used by the service itself.
 *
 * <pre>java -cp … net.trustbl.journal.HistoryWriter JDBC_URL USER PASSWORD EVENTS DAYS</pre>
 */
public final class HistoryWriter {

    private static final int MEMBERS = 10_000;
    private static final int BATCH = 5_000;

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
                    IpBlock ip = address(rnd.nextInt(addresses));
                    int kind = rnd.nextInt(100);
                    EngineEvent e;
                    if (kind < 75) {
                        e = new EngineEvent.TrafficObserved(ip, 1 + rnd.nextInt(40), at);
                    } else if (kind < 95) {
                        long member = 1_000_001 + rnd.nextInt(MEMBERS);
                        e = new EngineEvent.ReportFiled(++reportId, member, ip, kind < 93 ? Verdict.SPAM : Verdict.TRUSTED, 1.0, at);
                    } else {
                        e = new EngineEvent.TrapHit(ip, 1 + rnd.nextInt(3), null, at);
                    }
                    pending = add(ps, e, pending, c);
                }
                ps.executeBatch();
                c.commit();
            }
        }
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
