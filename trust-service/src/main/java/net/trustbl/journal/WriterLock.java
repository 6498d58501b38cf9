package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * One journal per database: the engine applies only the events its own journal wrote, so two
 * writers would make two services drift apart. The lock is a PostgreSQL session advisory lock
 * held on a connection of its own for the life of the process: it goes with that session, so a
 * standby can take it over the moment the writer dies.
 */
@ApplicationScoped
public class WriterLock {

    /** The advisory lock key every TrustBL replica of one database agrees on. */
    static final long KEY = 7370501;
    /** PostgreSQL's lock_not_available: a lock wait ran into lock_timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    @Inject
    DataSource dataSource;

    /** {@link #KEY}; tests queue two locks of their own on another key while the application writes. */
    long key = KEY;

    private Connection session;

    /** Takes the lock if it is free; false when another instance holds it. */
    synchronized boolean tryAcquire() throws SQLException {
        if (session != null) {
            return true;
        }
        Connection c = dataSource.getConnection();
        boolean locked = false;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + key + ")")) {
            rs.next();
            locked = rs.getBoolean(1);
        } finally {
            if (locked) {
                session = c;
            } else {
                c.close();
            }
        }
        return locked;
    }

    /**
     * A standby's wait between two reads of the journal: up to {@code wait} in PostgreSQL's lock
     * queue, which grants the lock the moment the writer's session ends, so a take-over starts then
     * and not at the next poll. False when the wait ran out. The timeout is set for this one
     * transaction only, so the pooled connection goes back as it came.
     */
    boolean awaitAcquire(Duration wait) throws SQLException {
        synchronized (this) {
            if (session != null) {
                return true;
            }
        }
        Connection c = dataSource.getConnection();
        boolean locked = false;
        try {
            locked = waitInQueue(c, wait);
        } finally {
            if (locked) {
                synchronized (this) {
                    session = c;
                }
            } else {
                c.close();
            }
        }
        return locked;
    }

    private boolean waitInQueue(Connection c, Duration wait) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = " + Math.max(1, wait.toMillis()));
            s.execute("SELECT pg_advisory_lock(" + key + ")");
            c.commit(); // a session lock: it outlives the transaction
            return true;
        } catch (SQLException e) {
            c.rollback();
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * An idle writer's check, on the lock's own session: the lock is still granted to it and
     * {@code epoch} is still the current writer epoch. False when the session is gone (a database
     * restart ends it without telling anyone) or another instance took over.
     */
    synchronized boolean stillHeld(long epoch) {
        if (session == null) {
            return false;
        }
        try (PreparedStatement ps = session.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                + "AND pid = pg_backend_pid() AND granted AND objid = ?) AND (SELECT epoch FROM journal_writer WHERE id = 1) = ?")) {
            ps.setQueryTimeout(5);
            ps.setLong(1, key);
            ps.setLong(2, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false; // the session cannot show the lock: act as if it were lost (fencing keeps this safe)
        }
    }

    /**
     * Lets the lock go. The session is a pooled connection: closing it only hands it back to the
     * pool, with the lock still held, so the lock is released explicitly first (a broken session
     * has lost it anyway).
     */
    synchronized void release() {
        if (session == null) {
            return;
        }
        try (Statement s = session.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + key + ")");
        } catch (SQLException e) {
            // the session is gone, and the lock with it
        }
        try {
            session.close();
        } catch (SQLException e) {
            // a closed session lets the lock go either way
        }
        session = null;
    }
}
