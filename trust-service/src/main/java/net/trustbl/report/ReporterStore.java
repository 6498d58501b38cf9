package net.trustbl.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;

/** Who reported an address: what a moderator weighs beside the evidence. Rows come back as records. */
@ApplicationScoped
public class ReporterStore {

    /** A member who reported the address as spam in the last 7 days, with its trust and how often. */
    public record Reporter(String email, double trust, long reports) { }

    @Inject
    EntityManager em;

    /** Up to {@code limit} reporters of the last 7 days, the most frequent first. */
    @Transactional
    public List<Reporter> recentSpamReporters(String ip, int limit) {
        List<Reporter> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT m.email, m.trust, count(*) FROM report r JOIN member m ON m.id = r.member_id "
                + "WHERE r.ip = ?1 AND r.verdict = 'spam' AND r.outcome <> 'duplicate' AND r.created_at > now() - interval '7 days' "
                + "GROUP BY m.email, m.trust ORDER BY 3 DESC, 1 LIMIT ?2").setParameter(1, ip).setParameter(2, limit).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new Reporter((String) r[0], ((Number) r[1]).doubleValue(), ((Number) r[2]).longValue()));
        }
        return out;
    }
}
