package net.trustbl.stats;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * The public statistics' queries over the largest tables (indexes of V32__stats_indexes.sql).
 * Callers run them in one transaction and cache the result.
 */
@ApplicationScoped
public class StatsStore {

    @Inject
    EntityManager em;

    /** Reports per UTC day since {@code from}, duplicates aside. */
    public Map<LocalDate, Long> reportsPerDay(Instant from) {
        return perDay("SELECT date_trunc('day', created_at AT TIME ZONE 'UTC')::date, count(*) FROM report "
                + "WHERE created_at >= ?1 AND outcome <> 'duplicate' GROUP BY 1", from);
    }

    /** New listings per UTC day since {@code from}. */
    public Map<LocalDate, Long> listingsCreatedPerDay(Instant from) {
        return perDay("SELECT date_trunc('day', at AT TIME ZONE 'UTC')::date, count(*) FROM listing_change "
                + "WHERE at >= ?1 AND change = 'created' GROUP BY 1", from);
    }

    /** Creations minus removals per UTC day since {@code from}. */
    public Map<LocalDate, Long> netListingsPerDay(Instant from) {
        return perDay("SELECT date_trunc('day', at AT TIME ZONE 'UTC')::date, "
                + "sum(CASE change WHEN 'created' THEN 1 WHEN 'removed' THEN -1 ELSE 0 END) FROM listing_change WHERE at >= ?1 GROUP BY 1", from);
    }

    /** Creations minus removals before {@code before}: the listings active then, as far as the history goes. */
    public long netListingsBefore(Instant before) {
        return count("SELECT coalesce(sum(CASE change WHEN 'created' THEN 1 WHEN 'removed' THEN -1 ELSE 0 END), 0) "
                + "FROM listing_change WHERE at < ?1", Timestamp.from(before));
    }

    public long activeMembers() {
        return count("SELECT count(*) FROM member WHERE status = 'active'");
    }

    public long lookupsLast24h() {
        return count("SELECT coalesce(sum(amount), 0) FROM engine_event WHERE kind = 'traffic' AND at > now() - interval '24 hours'");
    }

    public long openModerationItems() {
        return count("SELECT count(*) FROM moderation_item WHERE status = 'open'");
    }

    private long count(String sql, Object... params) {
        var q = em.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        return ((Number) q.getSingleResult()).longValue();
    }

    private Map<LocalDate, Long> perDay(String sql, Instant from) {
        Map<LocalDate, Long> out = new HashMap<>();
        for (Object o : em.createNativeQuery(sql).setParameter(1, Timestamp.from(from)).getResultList()) {
            Object[] row = (Object[]) o;
            LocalDate d = row[0] instanceof java.sql.Date sd ? sd.toLocalDate() : (LocalDate) row[0];
            out.put(d, ((Number) row[1]).longValue());
        }
        return out;
    }
}
