package net.trustbl.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.SqlTimes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the audit log ({@link net.trustbl.common.AuditLog} writes it) for the admin pages. */
@ApplicationScoped
public class AuditLogStore {

    /** One entry; {@code actorEmail} null when the system acted. */
    public record AuditEntry(long id, Instant at, String actorEmail, String action, String target, String detail) { }

    @Inject
    EntityManager em;

    /** The latest {@code limit} entries, newest first; {@code before} (an id) pages back, null for the newest. */
    @Transactional
    public List<AuditEntry> latest(Long before, int limit) {
        var q = em.createNativeQuery("SELECT a.id, a.at, m.email, a.action, a.target, a.detail FROM audit_log a "
                + "LEFT JOIN member m ON m.id = a.actor_id " + (before == null ? "" : "WHERE a.id < ?1 ") + "ORDER BY a.id DESC LIMIT " + limit);
        if (before != null) {
            q.setParameter(1, before);
        }
        List<AuditEntry> out = new ArrayList<>();
        for (Object o : q.getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new AuditEntry(((Number) r[0]).longValue(), SqlTimes.toInstant(r[1]), (String) r[2], (String) r[3],
                    (String) r[4], (String) r[5]));
        }
        return out;
    }
}
