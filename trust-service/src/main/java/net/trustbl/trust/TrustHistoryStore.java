package net.trustbl.trust;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.SqlTimes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A member's recorded trust changes (trust_history, written by {@link DecisionRecorder}). */
@ApplicationScoped
public class TrustHistoryStore {

    public record TrustPoint(Instant at, double trust) { }

    @Inject
    EntityManager em;

    /** The latest {@code limit} points, oldest first. */
    @Transactional
    public List<TrustPoint> latest(long memberId, int limit) {
        List<TrustPoint> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT at, trust FROM (SELECT at, trust, id FROM trust_history WHERE member_id = ?1 "
                + "ORDER BY at DESC, id DESC LIMIT ?2) h ORDER BY at, id").setParameter(1, memberId).setParameter(2, limit).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new TrustPoint(SqlTimes.toInstant(r[0]), ((Number) r[1]).doubleValue()));
        }
        return out;
    }
}
