package net.trustbl.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.engine.MemberTrust;
import net.trustbl.mail.Mails;
import net.trustbl.member.Member;
import net.trustbl.trust.TrustEngineHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A member's own numbers: trust and its history, strikes, reports with outcomes, and impact.
 * Every query is filtered by the member id of the logged-in session, never by a request value.
 */
@ApplicationScoped
public class DashboardService {

    public static final Set<String> OUTCOMES = Set.of("pending", "confirmed", "cleared", "duplicate");
    public static final Set<String> VERDICTS = Set.of("spam", "trusted");

    public record Summary(String trust, boolean pinned, int strikes, int confirmedReports, String trustChart,
                          Map<String, Long> outcomes, Mails.Impact impact, String level) { }

    /** {@code weighed}: false for a report filed before the member's email was confirmed (strength 0). */
    public record ReportRow(long id, String ip, String verdict, String category, String note, String channel,
                            String createdAt, String outcome, boolean weighed) { }

    @Inject
    EntityManager em;

    @Inject
    TrustEngineHost engine;

    @Transactional
    public Summary summary(long memberId) {
        Member m = Member.findById(memberId);
        MemberTrust t = engine.member(memberId);
        double trust = t == null ? m.trust : t.trust();
        List<Svg.Point> points = new ArrayList<>();
        List<?> rows = em.createNativeQuery("SELECT at, trust FROM (SELECT at, trust, id FROM trust_history WHERE member_id = ?1 "
                + "ORDER BY at DESC, id DESC LIMIT 60) h ORDER BY at, id").setParameter(1, memberId).getResultList();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            points.add(new Svg.Point(Fmt.day(SessionService.toInstant(r[0])), ((Number) r[1]).doubleValue()));
        }
        points.add(new Svg.Point("now", trust));
        Map<String, Long> outcomes = new TreeMap<>();
        for (String o : OUTCOMES) {
            outcomes.put(o, 0L);
        }
        for (Object o : em.createNativeQuery("SELECT outcome, count(*) FROM report WHERE member_id = ?1 GROUP BY outcome")
                .setParameter(1, memberId).getResultList()) {
            Object[] r = (Object[]) o;
            outcomes.put((String) r[0], ((Number) r[1]).longValue());
        }
        return new Summary(Fmt.num(trust), t != null && t.pinned(), t == null ? m.strikes : t.strikes(),
                t == null ? 0 : t.confirmedReports(), Svg.line("Your trust over time", points, 1.0, "#2f6fb3"),
                outcomes, impact(memberId), level(trust));
    }

    static String level(double trust) {
        if (trust >= 0.5) {
            return "trusted: two members at this level list an address";
        }
        if (trust >= 0.1) {
            return "growing: your reports count, but need others to agree";
        }
        return "new: your reports are recorded and earn trust when others confirm them";
    }

    /**
     * This week's effect of the member's spam reports: DNS lookups of the addresses they reported
     * since they reported them, and of those the lookups that came while the address was listed
     * (connections likely refused). Reports later cleared (wrong) earn nothing. Lookups are counted
     * per address, so the member's own mail servers' lookups are part of the figure.
     */
    @Transactional
    public Mails.Impact impact(long memberId) {
        Object[] counts = (Object[]) em.createNativeQuery("SELECT count(*), count(*) FILTER (WHERE outcome = 'confirmed'), "
                + "count(*) FILTER (WHERE outcome = 'cleared') FROM report WHERE member_id = ?1 AND outcome <> 'duplicate' "
                + "AND created_at > now() - interval '7 days'").setParameter(1, memberId).getSingleResult();
        Object[] traffic = (Object[]) em.createNativeQuery(
                "WITH mine AS (SELECT ip, min(created_at) AS since FROM report WHERE member_id = ?1 AND verdict = 'spam' "
                        + "AND outcome NOT IN ('duplicate', 'cleared') AND created_at > now() - interval '14 days' GROUP BY ip) "
                        + "SELECT coalesce(sum(e.amount), 0), coalesce(sum(e.amount) FILTER (WHERE (SELECT lc.change FROM listing_change lc "
                        + "WHERE lc.ip = e.ip AND lc.at <= e.at ORDER BY lc.serial DESC LIMIT 1) IN ('created', 'raised', 'lowered')), 0) "
                        + "FROM engine_event e JOIN mine ON mine.ip = e.ip AND e.at >= mine.since "
                        + "WHERE e.kind = 'traffic' AND e.at > now() - interval '7 days'")
                .setParameter(1, memberId).getSingleResult();
        List<?> mine = em.createNativeQuery("SELECT DISTINCT ip FROM report WHERE member_id = ?1 AND verdict = 'spam' "
                + "AND created_at > now() - interval '7 days'").setParameter(1, memberId).getResultList();
        Set<String> listed = new java.util.HashSet<>();
        engine.listings().forEach(l -> listed.add(l.ip().toString()));
        int listedNow = (int) mine.stream().filter(listed::contains).count();
        MemberTrust t = engine.member(memberId);
        return new Mails.Impact(((Number) counts[0]).intValue(), ((Number) counts[1]).intValue(), ((Number) counts[2]).intValue(),
                ((Number) traffic[0]).longValue(), ((Number) traffic[1]).longValue(), listedNow,
                Fmt.num(t == null ? 0 : t.trust()), t == null ? 0 : t.strikes());
    }

    /** The member's reports, newest first, filtered; {@code before} pages back by id. */
    @Transactional
    public List<ReportRow> reports(long memberId, String outcome, String verdict, String ipPrefix, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, ip, verdict, category, note, channel, created_at, outcome, strength FROM report WHERE member_id = :m");
        if (outcome != null) {
            sql.append(" AND outcome = :o");
        }
        if (verdict != null) {
            sql.append(" AND verdict = :v");
        }
        if (ipPrefix != null) {
            sql.append(" AND ip LIKE :p ESCAPE '\\'");
        }
        if (before != null) {
            sql.append(" AND id < :b");
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(Math.max(1, Math.min(limit, 500)));
        var q = em.createNativeQuery(sql.toString()).setParameter("m", memberId);
        if (outcome != null) {
            q.setParameter("o", outcome);
        }
        if (verdict != null) {
            q.setParameter("v", verdict);
        }
        if (ipPrefix != null) {
            q.setParameter("p", ipPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (before != null) {
            q.setParameter("b", before);
        }
        List<ReportRow> out = new ArrayList<>();
        for (Object o : q.getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new ReportRow(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    (String) r[5], Fmt.time(SessionService.toInstant(r[6])), (String) r[7], ((Number) r[8]).doubleValue() > 0));
        }
        return out;
    }
}
