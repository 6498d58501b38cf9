package net.trustbl.member;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.SqlTimes;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The web_session table: login sessions by the SHA-256 of their token (the web pages' session
 * service hashes; this store never sees a token).
 */
@ApplicationScoped
public class WebSessionStore {

    /** An open session of an active member; {@code lastSeen} null before its first refresh. */
    public record OpenSession(long memberId, String email, String role, Instant lastSeen) { }

    @Inject
    EntityManager em;

    @Transactional
    public void insert(String idHash, long memberId, Instant expiresAt) {
        em.createNativeQuery("INSERT INTO web_session (id_hash, member_id, expires_at) VALUES (?1, ?2, ?3)")
                .setParameter(1, idHash).setParameter(2, memberId).setParameter(3, Timestamp.from(expiresAt)).executeUpdate();
    }

    /** The unexpired session with this hash whose member is active. */
    @Transactional
    public Optional<OpenSession> find(String idHash) {
        List<?> rows = em.createNativeQuery("SELECT m.id, m.email, m.role, s.last_seen_at FROM web_session s "
                        + "JOIN member m ON m.id = s.member_id WHERE s.id_hash = ?1 AND s.expires_at > now() AND m.status = 'active'")
                .setParameter(1, idHash).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new OpenSession(((Number) r[0]).longValue(), (String) r[1], (String) r[2], SqlTimes.toInstant(r[3])));
    }

    @Transactional
    public void touch(String idHash) {
        em.createNativeQuery("UPDATE web_session SET last_seen_at = now() WHERE id_hash = ?1").setParameter(1, idHash).executeUpdate();
    }

    @Transactional
    public void delete(String idHash) {
        em.createNativeQuery("DELETE FROM web_session WHERE id_hash = ?1").setParameter(1, idHash).executeUpdate();
    }

    @Transactional
    public void deleteAllOf(long memberId) {
        em.createNativeQuery("DELETE FROM web_session WHERE member_id = ?1").setParameter(1, memberId).executeUpdate();
    }

    /** Expired sessions, and mail tokens a week past their expiry. */
    @Transactional
    public void purgeExpired() {
        em.createNativeQuery("DELETE FROM web_session WHERE expires_at < now()").executeUpdate();
        em.createNativeQuery("DELETE FROM email_token WHERE expires_at < now() - interval '7 days'").executeUpdate();
    }
}
