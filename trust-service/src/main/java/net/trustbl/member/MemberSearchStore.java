package net.trustbl.member;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.SqlTimes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finds members for the admin pages, with their stored trust and how many reports they filed. */
@ApplicationScoped
public class MemberSearchStore {

    /** A member as stored (the engine may know a newer trust, pin and strikes). */
    public record MemberRecord(long id, String email, String role, String status, double trust, boolean pinned, int strikes,
                               boolean emailConfirmed, Instant createdAt, long reports) { }

    @Inject
    EntityManager em;

    /** Members whose email contains {@code q} (case-insensitive) or whose id is {@code q}, newest first, at most 200. */
    @Transactional
    public List<MemberRecord> search(String q) {
        String like = "%" + q.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<?> rows = em.createNativeQuery("SELECT m.id, m.email, m.role, m.status, m.trust, m.trust_pinned, m.strikes, "
                        + "m.email_confirmed, m.created_at, (SELECT count(*) FROM report r WHERE r.member_id = m.id) "
                        + "FROM member m WHERE m.email LIKE ?1 ESCAPE '\\' OR CAST(m.id AS varchar) = ?2 ORDER BY m.id DESC LIMIT 200")
                .setParameter(1, like).setParameter(2, q).getResultList();
        List<MemberRecord> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new MemberRecord(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3],
                    ((Number) r[4]).doubleValue(), (Boolean) r[5], ((Number) r[6]).intValue(), (Boolean) r[7],
                    SqlTimes.toInstant(r[8]), ((Number) r[9]).longValue()));
        }
        return out;
    }
}
