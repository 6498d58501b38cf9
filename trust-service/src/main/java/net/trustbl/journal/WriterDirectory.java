package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * What replicas of the central service tell each other through their shared database: which
 * instance writes the journal and at which URL (the {@code journal_writer} row), and which
 * members' DNS views changed (PostgreSQL NOTIFY on {@code trustbl_view}, so that a standby's
 * responder serves a member's new rules as the writer's does).
 */
@ApplicationScoped
public class WriterDirectory {

    private static final Logger LOG = Logger.getLogger(WriterDirectory.class);
    static final String VIEW_CHANNEL = "trustbl_view";

    @Inject
    DataSource dataSource;

    @Inject
    Event<MemberViewChanged> viewChanged;

    @Inject
    WriterFence fence;

    private final String instance = ManagementFactory.getRuntimeMXBean().getName();
    private volatile String writerUrl;
    private volatile long writerClock;
    /** Set while a view change that came from another replica is being applied here (no echo). */
    private final ThreadLocal<Boolean> replaying = ThreadLocal.withInitial(() -> false);
    private Connection listener;

    /** This process, as recorded in {@code journal_writer} and on forwarded requests. */
    public String instance() {
        return instance;
    }

    /** The writer's URL for forwarded writes, as last read; empty when unknown or not advertised. */
    public Optional<String> writerUrl() {
        return Optional.ofNullable(writerUrl);
    }

    /**
     * This instance takes the writer role (it holds the writer lock): a new epoch, in which its
     * batches commit ({@link WriterFence}), and the URL replicas send writes to now.
     */
    public long claim(String url) throws SQLException {
        closeListener();
        try (Connection c = dataSource.getConnection()) {
            long epoch = fence.claim(c, url, instance);
            writerUrl = url;
            return epoch;
        }
    }

    /** This instance stopped writing: it does not know where writes go until the next {@link #refresh}. */
    void forget() {
        writerUrl = null;
        writerClock = 0;
    }

    /** A standby re-reads the writer's URL (it changes when a standby takes over) and its clock. */
    public void refresh() throws SQLException {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT url, clock FROM journal_writer WHERE id = 1")) {
            boolean found = rs.next();
            writerUrl = found ? rs.getString(1) : null;
            writerClock = found ? rs.getLong(2) : 0;
        }
    }

    /** The writer's clock as last read: a standby decides no expiry after it (the writer has not recorded those yet). */
    long writerClock() {
        return writerClock;
    }

    /** Passes view changes made on another replica to this one's DNS responder. */
    public void pollViewChanges() throws SQLException {
        if (listener == null || listener.isClosed()) {
            listener = dataSource.getConnection();
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN " + VIEW_CHANNEL);
            }
        }
        try (Statement s = listener.createStatement()) {
            s.execute("SELECT 1"); // the driver reads pending notifications with any round trip
        }
        PGNotification[] notes = listener.unwrap(PGConnection.class).getNotifications();
        if (notes == null) {
            return;
        }
        replaying.set(true);
        try {
            for (PGNotification n : notes) {
                try {
                    viewChanged.fire(new MemberViewChanged(Long.parseLong(n.getParameter())));
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        } finally {
            replaying.set(false);
        }
    }

    /**
     * Tells the other replicas that a member's view changed here (each reloads that one view), once
     * the change is committed so that they read the new rules.
     */
    void onViewChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) MemberViewChanged ev) {
        if (replaying.get()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + VIEW_CHANNEL + "', ?)")) {
            ps.setString(1, Long.toString(ev.memberId()));
            ps.execute();
        } catch (SQLException e) {
            LOG.debugf("could not notify replicas of a view change: %s", e);
        }
    }

    private void closeListener() {
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (SQLException ignored) {
            // gone anyway
        }
        listener = null;
    }
}
