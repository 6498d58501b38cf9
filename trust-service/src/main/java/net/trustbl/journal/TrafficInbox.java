package net.trustbl.journal;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lookup counts from standby replicas' DNS responders on their way to the journal. A standby
 * cannot journal (one writer), so it parks its counts in {@code traffic_inbox}; the writer takes
 * them out a page at a time and journals them as traffic observations, in the same database
 * transaction that deletes them only once the journal has stored them.
 */
@ApplicationScoped
public class TrafficInbox {

    private static final Logger LOG = Logger.getLogger(TrafficInbox.class);
    private static final int PAGE = 5_000;

    @Inject
    DataSource dataSource;

    @Inject
    EventJournal journal;

    /** A standby parks its counts (best effort: counts are a volume signal, not evidence). */
    void offer(List<JournalEntry> entries) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO traffic_inbox (ip, lookups) VALUES (?, ?)")) {
            for (JournalEntry e : entries) {
                EngineEvent.TrafficObserved t = (EngineEvent.TrafficObserved) ((JournalEntry.Fact) e).event();
                ps.setString(1, t.ip().toString());
                ps.setLong(2, t.lookups());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException ex) {
            LOG.debugf("standby lookup counts not parked (database down?): %s", ex.getMessage());
        }
    }

    @Scheduled(every = "${trustbl.dns.traffic-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void drain() {
        if (!journal.isWriter()) {
            return;
        }
        try {
            while (drainPage() == PAGE) {
                // next page
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("standby lookup counts not journaled yet: %s", e.getMessage());
        }
    }

    int drainPage() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Long> ids = new ArrayList<>();
            Map<String, Long> perIp = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, ip, lookups FROM traffic_inbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setInt(1, PAGE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        perIp.merge(rs.getString(2), rs.getLong(3), Long::sum);
                    }
                }
            }
            if (ids.isEmpty()) {
                c.rollback();
                return 0;
            }
            List<JournalEntry> facts = new ArrayList<>(perIp.size());
            for (Map.Entry<String, Long> e : perIp.entrySet()) {
                facts.add(new JournalEntry.Fact(new EngineEvent.TrafficObserved(IpBlock.parse(e.getKey()), e.getValue(), 0)));
            }
            journal.submitAndWait(facts);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM traffic_inbox WHERE id = ANY (?)")) {
                del.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                del.executeUpdate();
            }
            c.commit();
            return ids.size();
        }
    }
}
