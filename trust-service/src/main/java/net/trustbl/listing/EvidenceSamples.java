package net.trustbl.listing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.DatabaseFailures;
import net.trustbl.common.TrustBlConfig;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The redacted evidence a blocked sender may see, for the lookup page and the lookup API: when a
 * reported message arrived, the HELO and reverse DNS the sender's server gave, and (only when
 * {@code trustbl.evidence.show-subject=true}) a redacted subject. Never recipients, never the
 * reporter, never the body. Samples of reports that were cleared (wrong reports) are not evidence.
 */
@ApplicationScoped
public class EvidenceSamples {

    public record Sample(Instant receivedAt, String subject, String helo, String rdns) { }

    /**
     * An address in any spelling a subject carries: "@", "%40" (URL-encoded), "＠" or " (at) ", and
     * any letters in the local part. The domain goes too: it is the recipient's, so it names the
     * reporting member's organisation.
     */
    private static final Pattern EMAIL = Pattern.compile(
            "[^\\s<>()\\[\\]\"',;:@＠]+(?:@|%40|＠|\\s?[(\\[]at[)\\]]\\s?)[\\p{L}\\p{N}.\\-]+\\.[\\p{L}]{2,}",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{5,}");
    private static final Pattern TOKENISH = Pattern.compile("\\b[A-Za-z0-9_\\-]{24,}\\b");

    @Inject
    DataSource dataSource;

    private volatile long databaseAwayUntil;

    static final long BUDGET_MILLIS = 300;
    private static final long AWAY_MILLIS = 5_000;
    /** A few threads for the sample queries, so that a lookup never waits on the database longer than the budget. */
    private final ExecutorService queries = new ThreadPoolExecutor(1, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
            r -> {
                Thread t = new Thread(r, "trustbl-evidence-samples");
                t.setDaemon(true);
                return t;
            });

    @Inject
    TrustBlConfig config;

    /** Set by tests to turn the subject column on or off; null: {@code trustbl.evidence.show-subject}. */
    private volatile Boolean showSubjectOverride;

    public boolean showsSubject() {
        Boolean override = showSubjectOverride;
        return override != null ? override : config.evidence().showSubject();
    }

    /** For tests: turns the subject column on or off. */
    public void showSubject(boolean show) {
        this.showSubjectOverride = show;
    }

    /**
     * The latest {@code limit} samples for one address, newest first. Samples come from the
     * database and are garnish on an answer that comes from memory: the query gets
     * {@value #BUDGET_MILLIS} ms, and while the database is away (or that slow) the list is empty
     * and the database is not asked again for a few seconds; the lookup still answers at once.
     */
    public List<Sample> latest(String ip, int limit) {
        if (System.currentTimeMillis() < databaseAwayUntil) {
            return List.of();
        }
        Future<List<Sample>> query;
        try {
            query = queries.submit(() -> query(ip, limit));
        } catch (RejectedExecutionException busy) {
            return List.of();
        }
        try {
            return query.get(BUDGET_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            query.cancel(true);
            databaseAwayUntil = System.currentTimeMillis() + AWAY_MILLIS;
            return List.of();
        } catch (ExecutionException failed) {
            if (DatabaseFailures.isDatabaseDown(failed.getCause())) {
                databaseAwayUntil = System.currentTimeMillis() + AWAY_MILLIS;
            }
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * Samples of weighed reports only (an account whose reports weigh nothing cannot fill an
     * address's page with mail it made up). What a sender can vary per recipient must not show
     * who reported it: a HELO is shown only when two or more members' samples carry it (a spammer
     * that greets each recipient differently would otherwise read the reporter off the page), and
     * the time only to the day.
     */
    private static final String SAMPLES = "SELECT e.received_at, e.subject, e.helo, e.rdns, "
            + "(SELECT count(DISTINCT r2.member_id) FROM report_evidence e2 JOIN report r2 ON r2.id = e2.report_id "
            + "WHERE e2.source_ip = e.source_ip AND e2.helo = e.helo AND r2.strength > 0) "
            + "FROM report_evidence e JOIN report r ON r.id = e.report_id "
            + "WHERE e.source_ip = ? AND r.strength > 0 AND r.outcome NOT IN ('cleared', 'duplicate') "
            + "ORDER BY e.created_at DESC LIMIT ?";

    private List<Sample> query(String ip, int limit) throws SQLException {
        boolean subjects = showsSubject();
        List<Sample> samples = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SAMPLES)) {
            ps.setString(1, ip);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Timestamp at = rs.getTimestamp(1);
                    samples.add(new Sample(at == null ? null : at.toInstant().truncatedTo(ChronoUnit.DAYS),
                            subjects ? redact(rs.getString(2)) : null, rs.getInt(5) >= 2 ? rs.getString(3) : null, rs.getString(4)));
                }
            }
        }
        return samples;
    }

    /** Removes what could identify the recipients: addresses, long numbers and tokens go. */
    public static String redact(String subject) {
        if (subject == null || subject.isBlank()) {
            return "(no subject)";
        }
        String s = EMAIL.matcher(subject).replaceAll("…");
        s = LONG_NUMBER.matcher(s).replaceAll("…");
        s = TOKENISH.matcher(s).replaceAll("…");
        return s.length() > 90 ? s.substring(0, 90) + "…" : s;
    }
}
