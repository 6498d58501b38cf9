package net.trustbl.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.inject.Inject;

/** Who did what to whom: every admin, moderation and account action leaves a row (admin.AuditLogStore reads them). */
@ApplicationScoped
public class AuditLog {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(Long actorId, String action, String target, String detail) {
        em.createNativeQuery("INSERT INTO audit_log (actor_id, action, target, detail) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, actorId)
                .setParameter(2, action)
                .setParameter(3, target)
                .setParameter(4, detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail)
                .executeUpdate();
    }
}
