import java.sql.*;
import java.util.*;

/**
 * Profiling aid for the lead (not run by CI): compares, against a running TrustBL database, the
 * SQL that EventJournal runs per group commit today (nextval for ids, report INSERT batch, event
 * INSERT batch, COMMIT = four round trips) with one autocommit statement (ids allocated in memory,
 * both tables filled from unnest() arrays in one CTE = one round trip). Works on scratch copies of
 * the tables (r2, e2), dropped at the end. Run:
 *   java -cp ~/.m2/repository/org/postgresql/postgresql/42.7.10/postgresql-42.7.10.jar \
 *        ops/lib/JournalSqlCompare.java jdbc:postgresql://127.0.0.1:PGPORT/trustbl 16 300
 */
public class JournalSqlCompare {
    static long nextId = 2_000_000_000L;
    public static void main(String[] a) throws Exception {
        String url = a[0]; int batch = Integer.parseInt(a[1]); int rounds = Integer.parseInt(a[2]);
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS r2, e2");
                s.execute("CREATE TABLE r2 (LIKE report INCLUDING ALL)");
                s.execute("CREATE TABLE e2 (LIKE engine_event INCLUDING ALL)");
            }
            Random rnd = new Random(1);
            long[] tA = new long[rounds], tB = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                tA[i] = current(c, batch, rnd);
                tB[i] = oneStatement(c, batch, rnd);
            }
            System.out.printf("batch=%d rounds=%d  current(4 round trips): mean %.2f ms p50 %.2f  |  one statement (ids in memory, unnest, autocommit): mean %.2f ms p50 %.2f%n",
                batch, rounds, mean(tA), p50(tA), mean(tB), p50(tB));
            try (Statement s = c.createStatement()) { s.execute("DROP TABLE r2, e2"); }
        }
    }
    static String ip(Random r) { return (11 + r.nextInt(89)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)); }
    static long current(Connection c, int n, Random rnd) throws SQLException {
        long t0 = System.nanoTime();
        c.setAutoCommit(false);
        long[] ids = new long[n];
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('report_id_seq') FROM generate_series(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) { for (int i = 0; i < n && rs.next(); i++) ids[i] = rs.getLong(1); }
        }
        Timestamp now = new Timestamp(System.currentTimeMillis());
        try (PreparedStatement r = c.prepareStatement("INSERT INTO r2 (id, member_id, ip, verdict, category, note, channel, strength, created_at, outcome, duplicate_of) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
             PreparedStatement e = c.prepareStatement("INSERT INTO e2 (at, kind, member_id, report_id, ip, verdict, strength, amount, flag, trust) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            for (int i = 0; i < n; i++) {
                String ip = ip(rnd);
                r.setLong(1, ids[i]); r.setLong(2, 1); r.setString(3, ip); r.setString(4, "spam"); r.setString(5, null); r.setString(6, null);
                r.setString(7, "api"); r.setDouble(8, 1.0); r.setTimestamp(9, now); r.setString(10, "pending"); r.setNull(11, Types.BIGINT); r.addBatch();
                e.setTimestamp(1, now); e.setString(2, "report"); e.setLong(3, 1); e.setLong(4, ids[i]); e.setString(5, ip); e.setString(6, "spam");
                e.setDouble(7, 1.0); e.setNull(8, Types.BIGINT); e.setNull(9, Types.BOOLEAN); e.setNull(10, Types.DOUBLE); e.addBatch();
            }
            r.executeBatch(); e.executeBatch();
        }
        c.commit();
        return System.nanoTime() - t0;
    }
    static long oneStatement(Connection c, int n, Random rnd) throws SQLException {
        long t0 = System.nanoTime();
        c.setAutoCommit(true);
        Long[] ids = new Long[n]; String[] ips = new String[n];
        for (int i = 0; i < n; i++) { ids[i] = nextId++; ips[i] = ip(rnd); }
        Timestamp now = new Timestamp(System.currentTimeMillis());
        try (PreparedStatement ps = c.prepareStatement(
                "WITH x AS (SELECT * FROM unnest(?::bigint[], ?::text[]) AS t(id, ip)), "
              + "r AS (INSERT INTO r2 (id, member_id, ip, verdict, channel, strength, created_at, outcome) "
              + "      SELECT id, 1, ip, 'spam', 'api', 1.0, ?, 'pending' FROM x) "
              + "INSERT INTO e2 (at, kind, member_id, report_id, ip, verdict, strength) SELECT ?, 'report', 1, id, ip, 'spam', 1.0 FROM x")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("text", ips));
            ps.setTimestamp(3, now); ps.setTimestamp(4, now);
            ps.executeUpdate();
        }
        return System.nanoTime() - t0;
    }
    static double mean(long[] t) { return Arrays.stream(t).average().orElse(0) / 1e6; }
    static double p50(long[] t) { long[] s = t.clone(); Arrays.sort(s); return s[s.length / 2] / 1e6; }
}
