package net.trustbl.member;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import net.trustbl.common.DatabaseFailures;
import net.trustbl.common.ProblemException;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-account counters per UTC day (table {@code account_quota}). Counting happens in memory, so a
 * report costs no extra database round trip; what was counted is written behind every few
 * seconds, and a counter is read from the table the first time it is used, so a restart or a new
 * journal writer continues the day instead of starting it afresh (it may lose the last seconds).
 */
@ApplicationScoped
public class DailyCounters {

    private static final Logger LOG = Logger.getLogger(DailyCounters.class);
    /** A counter not used for this long is dropped from memory (read again from the table if needed). */
    private static final long IDLE_MILLIS = 120_000;

    private record Key(long memberId, String kind, LocalDate day) { }

    private static final class Counter {
        long stored;
        long pending;
        long usedAtMillis;
        /** Removed from the map: whoever still holds it must take the new one. */
        boolean dropped;
    }

    @Inject
    DataSource dataSource;

    Clock clock = Clock.systemUTC();

    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    /** The current UTC day. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /**
     * Adds {@code amount} to today's counter of {@code kind} unless that would pass {@code cap}.
     *
     * @return what was used before this call when it was refused, or -1 when the amount was added
     */
    public long addWithin(long memberId, String kind, long amount, long cap) {
        Key key = new Key(memberId, kind, today());
        while (true) {
            Counter c = counters.computeIfAbsent(key, this::load);
            synchronized (c) {
                if (c.dropped) {
                    continue;
                }
                c.usedAtMillis = clock.millis();
                long used = c.stored + c.pending;
                if (used + amount > cap) {
                    return used;
                }
                c.pending += amount;
                return -1;
            }
        }
    }

    private Counter load(Key key) {
        Counter c = new Counter();
        c.usedAtMillis = clock.millis();
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT amount FROM account_quota WHERE member_id = ? AND day = ? AND kind = ?")) {
            ps.setLong(1, key.memberId());
            ps.setDate(2, Date.valueOf(key.day()));
            ps.setString(3, key.kind());
            try (ResultSet rs = ps.executeQuery()) {
                c.stored = rs.next() ? rs.getLong(1) : 0;
            }
            return c;
        } catch (SQLException e) {
            if (DatabaseFailures.isDatabaseDown(e)) {
                throw ProblemException.unavailable("the account's quota cannot be read right now; nothing was kept, retry later", 5);
            }
            throw new IllegalStateException("could not read account_quota", e);
        }
    }

    /** Writes what was counted since the last flush; drops old days and idle counters from memory. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        LocalDate today = today();
        long now = clock.millis();
        for (Map.Entry<Key, Counter> e : counters.entrySet()) {
            Counter c = e.getValue();
            long delta;
            synchronized (c) {
                delta = c.pending;
                c.pending = 0;
            }
            if (delta > 0 && !write(e.getKey(), delta)) {
                synchronized (c) {
                    c.pending += delta; // the next flush tries again
                }
                continue;
            }
            synchronized (c) {
                c.stored += delta;
                if (c.pending == 0 && (e.getKey().day().isBefore(today) || now - c.usedAtMillis > IDLE_MILLIS)) {
                    c.dropped = true;
                    counters.remove(e.getKey(), c);
                }
            }
        }
    }

    private boolean write(Key key, long delta) {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("INSERT INTO account_quota (member_id, day, kind, amount) "
                     + "VALUES (?, ?, ?, ?) ON CONFLICT (member_id, day, kind) "
                     + "DO UPDATE SET amount = account_quota.amount + EXCLUDED.amount")) {
            ps.setLong(1, key.memberId());
            ps.setDate(2, Date.valueOf(key.day()));
            ps.setString(3, key.kind());
            ps.setLong(4, delta);
            ps.executeUpdate();
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("could not write account quotas (will retry): %s", e);
            return false;
        }
    }

    /** Past days are of no use: keep a week for the curious operator. */
    @Scheduled(every = "1h", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deleteOldDays() {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("DELETE FROM account_quota WHERE day < ?")) {
            ps.setDate(1, Date.valueOf(today().minusDays(7)));
            ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("could not delete old account quotas: %s", e);
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        flush();
    }
}
