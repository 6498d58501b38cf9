package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.engine.EngineSnapshot;
import net.trustbl.engine.TrustEngine;
import net.trustbl.trust.TrustEngineHost;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Engine snapshots in {@code engine_snapshot}: the state after journal event {@code seq},
 * deflated. A start or take-over loads the latest and replays only the events after it; the
 * journal is pruned up to the oldest snapshot kept (never past the evidence horizon).
 */
@ApplicationScoped
public class EngineSnapshots {

    private static final Logger LOG = Logger.getLogger(EngineSnapshots.class);
    private static final int PRUNE_CHUNK = 50_000;

    /** A snapshot read back: the engine, and where in the journal it stands. */
    record Loaded(TrustEngine engine, long seq, long clock) { }

    /** A snapshot encoded in memory on the writer thread, to be deflated and stored off it. */
    record Captured(long seq, long clock, long rules, RawSnapshot raw, long encodeMillis) { }

    /** A captured snapshot deflated, ready to store. */
    record Deflated(long seq, long clock, long rules, long rawBytes, byte[] bytes) { }

    @Inject
    DataSource dataSource;

    @Inject
    TrustEngineHost engine;

    @Inject
    JournalConfig config;

    /**
     * The serving engine's state at journal event {@code seq} and clock {@code clock}, encoded
     * into memory. Call it on the writer thread between batches: the engine lock is not taken
     * (lookups go on), only the journal waits while the state is encoded.
     */
    Captured capture(long seq, long clock) throws IOException {
        long started = System.nanoTime();
        RawSnapshot raw = new RawSnapshot();
        engine.snapshot(raw);
        return new Captured(seq, clock, EngineSnapshot.rulesFingerprint(engine.rules()), raw,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Deflates a captured snapshot (off the writer thread: this is the slow part). */
    Deflated deflate(Captured s) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, s.raw().size() / 3 + 1024));
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream out = new DeflaterOutputStream(buffer, deflater, 1 << 16)) {
            s.raw().writeTo(out);
        } finally {
            deflater.end();
        }
        return new Deflated(s.seq(), s.clock(), s.rules(), s.raw().size(), buffer.toByteArray());
    }

    /** Stores a captured snapshot and drops the ones beyond {@code trustbl.journal.snapshots-kept}. */
    void store(Deflated s) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO engine_snapshot (seq, clock, rules, raw_bytes, bytes) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING")) {
                ps.setLong(1, s.seq());
                ps.setLong(2, s.clock());
                ps.setLong(3, s.rules());
                ps.setLong(4, s.rawBytes());
                ps.setBytes(5, s.bytes());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM engine_snapshot WHERE seq NOT IN "
                    + "(SELECT seq FROM engine_snapshot ORDER BY seq DESC LIMIT ?)")) {
                ps.setInt(1, Math.max(1, config.snapshotsKept()));
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    /**
     * False when the latest stored snapshot already stands at the journal's last event: a new one
     * would encode the same state again on the journal's thread (seconds at a million addresses,
     * reports waiting) only to be dropped by {@code ON CONFLICT}.
     */
    boolean journalMovedSinceLatest() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT (SELECT coalesce(max(seq), 0) FROM engine_event) "
                     + "> (SELECT coalesce(max(seq), 0) FROM engine_snapshot)");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The latest snapshot made under the current rules, or null (then the whole journal is replayed). */
    Loaded loadLatest() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, clock, bytes FROM engine_snapshot ORDER BY seq DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long seq = rs.getLong(1);
            Inflater inflater = new Inflater();
            try (InputStream in = new InflaterInputStream(rs.getBinaryStream(3), inflater, 1 << 16)) {
                return new Loaded(engine.restore(in), seq, rs.getLong(2));
            } catch (IOException e) {
                // formats 2 and 3 are read; anything else (a newer service's, or damaged) is not guessed at
                LOG.warnf("engine snapshot at event %d not usable (%s): replaying the journal that is left instead", seq, e.getMessage());
                return null;
            } finally {
                inflater.end();
            }
        }
    }

    /**
     * Deletes journal rows that the oldest kept snapshot covers and that are older than
     * {@code olderThanMillis}; returns how many.
     */
    long prune(long olderThanMillis) throws SQLException {
        long deleted = 0;
        try (Connection c = dataSource.getConnection()) {
            long covered;
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(min(seq), 0), count(*) FROM engine_snapshot");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                covered = rs.getInt(2) < Math.max(1, config.snapshotsKept()) ? 0 : rs.getLong(1);
            }
            if (covered == 0) {
                return 0; // keep everything until the snapshots kept cover it
            }
            // in chunks: a short transaction each, never one that holds millions of rows
            int n;
            do {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM engine_event WHERE seq IN (SELECT seq FROM engine_event "
                        + "WHERE seq <= ? AND at < ? ORDER BY seq LIMIT ?)")) {
                    ps.setLong(1, covered);
                    ps.setTimestamp(2, new Timestamp(olderThanMillis));
                    ps.setInt(3, PRUNE_CHUNK);
                    n = ps.executeUpdate();
                }
                deleted += n;
            } while (n == PRUNE_CHUNK);
        }
        return deleted;
    }
}
