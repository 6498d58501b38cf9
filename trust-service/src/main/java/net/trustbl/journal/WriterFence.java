package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The fencing token of the journal writer: {@code journal_writer.epoch}. The advisory lock
 * ({@link WriterLock}) elects the writer, but it lives on one session that a database restart
 * ends without telling the process; so each batch transaction also proves, as its first statement,
 * that the epoch this instance claimed is still the current one. The row lock that statement takes
 * orders it against a take-over's claim: either the batch commits before the new writer's claim
 * (and the new writer reads it when it catches up) or it touches no row and is rolled back.
 */
@ApplicationScoped
public class WriterFence {

    /** The epoch this instance claimed when it became the writer; 0 while it is not the writer. */
    private volatile long epoch;

    /** Thrown inside a batch transaction when another instance claimed the writer role since. */
    public static final class FencedOutException extends RuntimeException {
        FencedOutException(long epoch) {
            super("journal writer epoch " + epoch + " is no longer current: another instance took over");
        }
    }

    /**
     * Claims the writer role in its own transaction: bumps the epoch and records where replicas
     * forward writes. Returns the new epoch.
     */
    long claim(Connection c, String url, String instance) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO journal_writer (id, url, instance, since, epoch) "
                + "VALUES (1, ?, ?, now(), 1) ON CONFLICT (id) DO UPDATE SET url = excluded.url, "
                + "instance = excluded.instance, since = excluded.since, epoch = journal_writer.epoch + 1 RETURNING epoch")) {
            ps.setString(1, url);
            ps.setString(2, instance);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                epoch = rs.getLong(1);
            }
        }
        return epoch;
    }

    long epoch() {
        return epoch;
    }

    /** This instance no longer writes: whatever it still tries to commit fails the check. */
    void resign() {
        epoch = 0;
    }

    /**
     * The first statement of every batch transaction: proves the epoch and moves the writer's
     * clock to the batch's time (recorded with the batch's decisions); throws when this instance
     * was fenced out.
     */
    void check(Connection c, long batchTime) throws SQLException {
        long mine = epoch;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE journal_writer SET clock = greatest(clock, ?) WHERE id = 1 AND epoch = ?")) {
            ps.setLong(1, batchTime);
            ps.setLong(2, mine);
            if (mine == 0 || ps.executeUpdate() != 1) {
                throw new FencedOutException(mine);
            }
        }
    }
}
