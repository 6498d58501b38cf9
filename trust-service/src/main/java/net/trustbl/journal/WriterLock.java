package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

    @Inject
    DataSource dataSource;

    private Connection session;

    /** Takes the lock if it is free; false when another instance holds it. */
    synchronized boolean tryAcquire() throws SQLException {
        if (session != null) {
            return true;
        }
        Connection c = dataSource.getConnection();
        boolean locked = false;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
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

    /** Lets the lock go (closing the session releases it on the server either way). */
    synchronized void release() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (SQLException e) {
            // a closed session lets the lock go either way
        }
        session = null;
    }
}
