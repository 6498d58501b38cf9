package net.trustbl.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.SqlTimes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One member's reports, for their dashboard. Every query takes the member id, which callers take
 * from the logged-in session, never from a request value.
 */
@ApplicationScoped
public class MemberReportStore {

    /** One report; {@code strength} 0 when filed before the member's email was confirmed. */
    public record MemberReport(long id, String ip, String verdict, String category, String note, String channel,
                               Instant createdAt, String outcome, double strength) { }

    /** A filter of the report list; null fields do not filter, {@code before} pages back by id. */
    public record Filter(String outcome, String verdict, String ipPrefix, Long before, int limit) { }

    /** The last 7 days' reports (duplicates aside): all, confirmed, cleared. */
    public record WeekCounts(int reports, int confirmed, int cleared) { }

    /** DNS lookups this week of the addresses the member reported as spam since reporting them, and those while listed. */
    public record Lookups(long total, long whileListed) { }

    @Inject
    EntityManager em;

    @Transactional
    public Map<String, Long> countsByOutcome(long memberId) {
        Map<String, Long> out = new HashMap<>();
        for (Object o : em.createNativeQuery("SELECT outcome, count(*) FROM report WHERE member_id = ?1 GROUP BY outcome")
                .setParameter(1, memberId).getResultList()) {
            Object[] r = (Object[]) o;
            out.put((String) r[0], ((Number) r[1]).longValue());
        }
        return out;
    }

    @Transactional
    public WeekCounts lastWeek(long memberId) {
        Object[] counts = (Object[]) em.createNativeQuery("SELECT count(*), count(*) FILTER (WHERE outcome = 'confirmed'), "
                + "count(*) FILTER (WHERE outcome = 'cleared') FROM report WHERE member_id = ?1 AND outcome <> 'duplicate' "
                + "AND created_at > now() - interval '7 days'").setParameter(1, memberId).getSingleResult();
        return new WeekCounts(((Number) counts[0]).intValue(), ((Number) counts[1]).intValue(), ((Number) counts[2]).intValue());
    }

    @Transactional
    public Lookups lookupsOfReported(long memberId) {
        Object[] traffic = (Object[]) em.createNativeQuery(
                "WITH mine AS (SELECT ip, min(created_at) AS since FROM report WHERE member_id = ?1 AND verdict = 'spam' "
                        + "AND outcome NOT IN ('duplicate', 'cleared') AND created_at > now() - interval '14 days' GROUP BY ip) "
                        + "SELECT coalesce(sum(e.amount), 0), coalesce(sum(e.amount) FILTER (WHERE (SELECT lc.change FROM listing_change lc "
                        + "WHERE lc.ip = e.ip AND lc.at <= e.at ORDER BY lc.serial DESC LIMIT 1) IN ('created', 'raised', 'lowered')), 0) "
                        + "FROM engine_event e JOIN mine ON mine.ip = e.ip AND e.at >= mine.since "
                        + "WHERE e.kind = 'traffic' AND e.at > now() - interval '7 days'")
                .setParameter(1, memberId).getSingleResult();
        return new Lookups(((Number) traffic[0]).longValue(), ((Number) traffic[1]).longValue());
    }

    /** The addresses the member reported as spam in the last 7 days. */
    @Transactional
    public List<String> spamReportedLastWeek(long memberId) {
        List<String> out = new ArrayList<>();
        for (Object ip : em.createNativeQuery("SELECT DISTINCT ip FROM report WHERE member_id = ?1 AND verdict = 'spam' "
                + "AND created_at > now() - interval '7 days'").setParameter(1, memberId).getResultList()) {
            out.add((String) ip);
        }
        return out;
    }

    /** The member's reports, newest first, at most 500. */
    @Transactional
    public List<MemberReport> reports(long memberId, Filter f) {
        StringBuilder sql = new StringBuilder("SELECT id, ip, verdict, category, note, channel, created_at, outcome, strength FROM report WHERE member_id = :m");
        Map<String, Object> params = new HashMap<>();
        params.put("m", memberId);
        condition(sql, params, " AND outcome = :o", "o", f.outcome());
        condition(sql, params, " AND verdict = :v", "v", f.verdict());
        condition(sql, params, " AND ip LIKE :p ESCAPE '\\'", "p", f.ipPrefix() == null ? null
                : f.ipPrefix().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        condition(sql, params, " AND id < :b", "b", f.before());
        sql.append(" ORDER BY id DESC LIMIT ").append(Math.max(1, Math.min(f.limit(), 500)));
        var q = em.createNativeQuery(sql.toString());
        params.forEach(q::setParameter);
        List<MemberReport> out = new ArrayList<>();
        for (Object o : q.getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new MemberReport(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    (String) r[5], SqlTimes.toInstant(r[6]), (String) r[7], ((Number) r[8]).doubleValue()));
        }
        return out;
    }

    private static void condition(StringBuilder sql, Map<String, Object> params, String clause, String name, Object value) {
        if (value != null) {
            sql.append(clause);
            params.put(name, value);
        }
    }
}
