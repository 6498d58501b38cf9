package net.trustbl.trust;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.engine.Decision;
import net.trustbl.engine.Decision.HeldForModeration;
import net.trustbl.engine.Decision.ListingChanged;
import net.trustbl.engine.Decision.ReportOutcomeChanged;
import net.trustbl.engine.Decision.TrustChanged;
import net.trustbl.engine.Explanation;
import net.trustbl.engine.MemberTrust;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;

/**
 * Writes the engine's decisions into the read models (listing history, member trust, report
 * outcomes, moderation queue) in the journal batch's own transaction: a decision is recorded
 * exactly when the events that caused it are stored, so no crash can lose one (a lost
 * big-sender hold would never reach a moderator) and no replay has to record one again.
 */
@ApplicationScoped
public class DecisionRecorder {

    @Inject
    TrustEngineHost engine;

    @Inject
    MeterRegistry metrics;

    /** Test hook: runs before the decisions are written (a throw there = the batch fails as a whole). */
    private volatile Runnable fault;

    /** See {@link #record}: a one-shot failure injected into the next recording (null clears). */
    public void injectFault(Runnable beforeRecording) {
        this.fault = beforeRecording;
    }

    /**
     * Writes {@code decisions} in {@code c}'s transaction; {@code listingSerials} are the listing feed's serials of
     * their listing changes, in order (plain serials, not the feed's entries: listing depends on trust, not back).
     */
    public void record(Connection c, List<Decision> decisions, long[] listingSerials) throws SQLException {
        Runnable f = fault;
        if (f != null && !decisions.isEmpty()) {
            fault = null;
            f.run();
        }
        if (decisions.isEmpty()) {
            return;
        }
        writeListingChanges(c, decisions, listingSerials);
        writeOtherDecisions(c, decisions);
    }

    private void writeListingChanges(Connection c, List<Decision> decisions, long[] serials) throws SQLException {
        if (serials.length == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO listing_change (serial, at, ip, change, return_code, "
                + "score, threshold, spam_reports, positive_reports, trap_hits, lookups) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
            int i = 0;
            for (Decision d : decisions) {
                if (!(d instanceof ListingChanged lc)) {
                    continue;
                }
                Explanation x = lc.explanation();
                ps.setLong(1, serials[i++]);
                ps.setTimestamp(2, new Timestamp(lc.atMillis()));
                ps.setString(3, lc.ip().toString());
                ps.setString(4, lc.change().name().toLowerCase(Locale.ROOT));
                ps.setInt(5, lc.returnCode());
                ps.setDouble(6, x.score());
                ps.setDouble(7, x.bar());
                ps.setInt(8, x.spamReports());
                ps.setInt(9, x.positiveReports());
                ps.setInt(10, x.trapHits());
                ps.setLong(11, x.lookups());
                ps.addBatch();
                metrics.counter("trustbl.listing.changes", "change", lc.change().name().toLowerCase(Locale.ROOT)).increment();
            }
            ps.executeBatch();
        }
    }

    private void writeOtherDecisions(Connection c, List<Decision> decisions) throws SQLException {
        try (PreparedStatement trust = c.prepareStatement("UPDATE member SET trust = ?, strikes = ?, trust_pinned = ? WHERE id = ?");
             PreparedStatement history = c.prepareStatement(
                     "INSERT INTO trust_history (member_id, at, trust, reason) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM member WHERE id = ?)");
             PreparedStatement outcome = c.prepareStatement("UPDATE report SET outcome = ? WHERE id = ? AND outcome <> 'duplicate'");
             PreparedStatement hold = c.prepareStatement("INSERT INTO moderation_item (kind, ip, reason, created_at) "
                     + "SELECT 'big-sender-hold', ?, ?, ? WHERE NOT EXISTS "
                     + "(SELECT 1 FROM moderation_item WHERE ip = ? AND kind = 'big-sender-hold' AND status = 'open')")) {
            for (Decision d : decisions) {
                if (d instanceof TrustChanged t) {
                    MemberTrust m = engine.member(t.memberId());
                    trust.setDouble(1, t.newTrust());
                    trust.setInt(2, m == null ? 0 : m.strikes());
                    trust.setBoolean(3, m != null && m.pinned());
                    trust.setLong(4, t.memberId());
                    trust.addBatch();
                    history.setLong(1, t.memberId());
                    history.setTimestamp(2, new Timestamp(t.atMillis()));
                    history.setDouble(3, t.newTrust());
                    history.setString(4, truncate(t.reason(), 200));
                    history.setLong(5, t.memberId());
                    history.addBatch();
                } else if (d instanceof ReportOutcomeChanged o) {
                    outcome.setString(1, o.outcome().wireName());
                    outcome.setLong(2, o.reportId());
                    outcome.addBatch();
                } else if (d instanceof HeldForModeration h) {
                    hold.setString(1, h.ip().toString());
                    hold.setString(2, truncate(h.reason(), 500));
                    hold.setTimestamp(3, new Timestamp(h.atMillis()));
                    hold.setString(4, h.ip().toString());
                    hold.addBatch();
                }
            }
            trust.executeBatch();
            history.executeBatch();
            outcome.executeBatch();
            hold.executeBatch();
        }
    }

    private static String truncate(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max);
    }
}
