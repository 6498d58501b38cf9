package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;
import net.trustbl.journal.JournalEntry.NewReport;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The journal's rows in PostgreSQL: {@code report} rows and {@code engine_event} (the source of
 * truth the engine is rebuilt from), written in the caller's transaction and read back in
 * sequence order.
 */
@ApplicationScoped
public class JournalStore {

    private static final Logger LOG = Logger.getLogger(JournalStore.class);

    private static final String INSERT_REPORT = "INSERT INTO report (id, member_id, ip, verdict, category, note, "
            + "channel, strength, created_at, outcome, duplicate_of) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
    private static final int REPLAY_CHUNK = 1024;
    /** The highest report id the duplicate window holds (the follower's or journal's thread only). */
    private long windowLoadedThroughId;

    /** A report row to insert: a counted report ({@code duplicateOf} null) or a repeat. */
    record ReportRow(long id, NewReport report, long atMillis, Long duplicateOf) { }

    /** Stored events after some sequence number, in order, and the last one's number. */
    record Page(List<EngineEvent> events, long lastSeq) { }

    /** What a replay found: how many events it read and the last one's number and time. */
    record Tail(long events, long lastSeq, long lastAtMillis) { }

    /**
     * Where the read models stand: the last listing-history serial and the writer's clock (the
     * time up to which expiries are decided and recorded).
     */
    record Standing(long lastListingSerial, long writerClock) { }

    @Inject
    DataSource dataSource;

    @Inject
    TrustBlConfig config;

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Inserts the rows in {@code c}'s transaction; returns the sequence number of the last stored
     * event (0 when none was stored: ticks are applied, never stored).
     */
    long insert(Connection c, List<ReportRow> reports, List<EngineEvent> events) throws SQLException {
        if (!reports.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_REPORT)) {
                for (ReportRow r : reports) {
                    bindReport(ps, r);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        long lastSeq = 0;
        try (PreparedStatement ps = c.prepareStatement(EventRowCodec.INSERT, new String[] {"seq"})) {
            int stored = 0;
            for (EngineEvent e : events) {
                if (EventRowCodec.bind(ps, e)) {
                    ps.addBatch();
                    stored++;
                }
            }
            if (stored == 0) {
                return 0;
            }
            ps.executeBatch();
            // the sequence numbers come back with the INSERT (no extra round trip); the last one
            // marks this commit when its outcome must be checked
            try (ResultSet keys = ps.getGeneratedKeys()) {
                while (keys.next()) {
                    lastSeq = Math.max(lastSeq, keys.getLong(1));
                }
            }
        }
        return lastSeq;
    }

    /** {@code n} fresh report ids from the database sequence, ascending (two writers can never share one). */
    long[] nextReportIds(Connection c, int n) throws SQLException {
        long[] ids = new long[n];
        if (n == 0) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('report_id_seq') FROM generate_series(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < n && rs.next(); i++) {
                    ids[i] = rs.getLong(1);
                }
            }
        }
        java.util.Arrays.sort(ids);
        return ids;
    }

    private static void bindReport(PreparedStatement ps, ReportRow row) throws SQLException {
        NewReport r = row.report();
        ps.setLong(1, row.id());
        ps.setLong(2, r.memberId());
        ps.setString(3, r.ip().toString());
        ps.setString(4, r.verdict().name().toLowerCase(Locale.ROOT));
        ps.setString(5, r.category());
        ps.setString(6, r.note());
        ps.setString(7, r.channel());
        ps.setDouble(8, r.strength());
        ps.setTimestamp(9, new Timestamp(row.atMillis()));
        ps.setString(10, row.duplicateOf() == null ? "pending" : "duplicate");
        if (row.duplicateOf() == null) {
            ps.setNull(11, Types.BIGINT);
        } else {
            ps.setLong(11, row.duplicateOf());
        }
    }

    /**
     * Whether a commit whose answer was lost is durable after all, seen from a fresh connection:
     * its last event ({@code lastSeq} > 0) or else its last report is there.
     */
    boolean isStored(long lastSeq, long lastReportId) throws SQLException {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement(lastSeq > 0
                     ? "SELECT EXISTS (SELECT 1 FROM engine_event WHERE seq = ?)"
                     : "SELECT EXISTS (SELECT 1 FROM report WHERE id = ?)")) {
            ps.setLong(1, lastSeq > 0 ? lastSeq : lastReportId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Streams the stored events after {@code afterSeq} (a snapshot's, or 0 for all), in sequence
     * order, to {@code sink} a chunk at a time.
     */
    Tail replayAfter(long afterSeq, Consumer<List<EngineEvent>> sink) throws SQLException {
        long count = 0;
        long lastAt = 0;
        long lastSeq = afterSeq;
        List<EngineEvent> chunk = new ArrayList<>(REPLAY_CHUNK);
        try (Connection c = connection()) {
            c.setAutoCommit(false); // needed for a streaming cursor
            try (PreparedStatement ps = c.prepareStatement(EventRowCodec.SELECT_AFTER)) {
                ps.setFetchSize(5_000);
                ps.setLong(1, afterSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        EngineEvent e = readOrSkip(rs);
                        lastSeq = rs.getLong("seq");
                        if (e == null) {
                            continue;
                        }
                        lastAt = e.atMillis();
                        chunk.add(e);
                        count++;
                        if (chunk.size() == REPLAY_CHUNK) {
                            sink.accept(chunk);
                            chunk = new ArrayList<>(REPLAY_CHUNK);
                        }
                    }
                }
            }
            sink.accept(chunk);
            c.commit();
            return new Tail(count, lastSeq, lastAt);
        }
    }

    /** A standby's catch-up: at most {@code limit} events stored after {@code afterSeq}, in order. */
    Page readAfter(long afterSeq, int limit) throws SQLException {
        try (Connection c = connection()) {
            return readAfter(c, afterSeq, limit);
        }
    }

    /** Where the read models stand, and the duplicate window loaded as the database has it. */
    Standing standing(DuplicateWindow window) throws SQLException {
        return standing(window, false);
    }

    /**
     * The writer's standing and the duplicate window: loaded whole ({@code incremental} false: at
     * start), or only the reports stored since the last load (a standby that kept its window up
     * to date while following: its take-over then reads a few rows, not a day of reports).
     */
    Standing standing(DuplicateWindow window, boolean incremental) throws SQLException {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            long lastSerial = single(c, "SELECT coalesce(max(serial), 0) FROM listing_change");
            long writerClock = single(c, "SELECT coalesce(max(clock), 0) FROM journal_writer");
            if (!incremental) {
                window.clear();
                windowLoadedThroughId = 0;
            }
            loadWindow(c, window);
            c.commit();
            return new Standing(lastSerial, writerClock);
        }
    }

    /** A standby keeps its duplicate window as the writer fills the report table (see {@link #standing}). */
    void followWindow(DuplicateWindow window) throws SQLException {
        try (Connection c = connection()) {
            loadWindow(c, window);
        }
    }

    private static Page readAfter(Connection c, long afterSeq, int limit) throws SQLException {
        List<EngineEvent> events = new ArrayList<>();
        long seq = afterSeq;
        try (PreparedStatement ps = c.prepareStatement(EventRowCodec.SELECT_PAGE_AFTER)) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EngineEvent e = readOrSkip(rs);
                    if (e != null) {
                        events.add(e);
                    }
                    seq = rs.getLong("seq");
                }
            }
        }
        return new Page(events, seq);
    }

    /**
     * One stored event, or null (logged) when its row cannot be read as one: our writer never
     * stores such a row, but a damaged or hand-edited one must not stop every start and every
     * standby at it. Replay and follow skip it alike, so writer and standbys stay the same.
     */
    private static EngineEvent readOrSkip(ResultSet rs) throws SQLException {
        try {
            return EventRowCodec.read(rs);
        } catch (RuntimeException e) {
            LOG.errorf(e, "journal event %d cannot be read as an engine event; skipped", rs.getLong("seq"));
            return null;
        }
    }

    private void loadWindow(Connection c, DuplicateWindow window) throws SQLException {
        long since = System.currentTimeMillis() - config.reports().duplicateWindow().toMillis();
        // report ids come from a sequence and one writer commits its batches in order: every report
        // below the highest id read was committed already
        try (PreparedStatement ps = c.prepareStatement("SELECT id, member_id, ip, verdict, created_at FROM report "
                + "WHERE id > ? AND created_at > ? AND outcome <> 'duplicate' ORDER BY id")) {
            ps.setLong(1, windowLoadedThroughId);
            ps.setTimestamp(2, new Timestamp(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    window.remember(rs.getLong(2), IpBlock.parse(rs.getString(3)), Verdict.parse(rs.getString(4)),
                            rs.getLong(1), rs.getTimestamp(5).getTime());
                    windowLoadedThroughId = rs.getLong(1);
                }
            }
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
