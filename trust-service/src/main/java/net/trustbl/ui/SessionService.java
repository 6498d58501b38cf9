package net.trustbl.ui;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.Secrets;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Server-side login sessions. The browser holds a random token; the database holds only its
 * SHA-256, so a leaked table does not log anyone in. A suspended member's sessions stop working.
 */
@ApplicationScoped
public class SessionService {

    /** The member behind a session. */
    public record WebUser(long memberId, String email, String role) {
        public boolean isAdmin() {
            return "admin".equals(role);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    WebConfig config;

    public Duration lifetime() {
        return config.sessionLifetime();
    }

    /** Opens a session and returns the token for the cookie. */
    @Transactional
    public String open(long memberId) {
        String token = Secrets.newToken();
        em.createNativeQuery("INSERT INTO web_session (id_hash, member_id, expires_at) VALUES (?1, ?2, ?3)")
                .setParameter(1, Secrets.sha256Hex(token)).setParameter(2, memberId)
                .setParameter(3, Timestamp.from(Instant.now().plus(lifetime()))).executeUpdate();
        return token;
    }

    @Transactional
    public Optional<WebUser> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.sha256Hex(token);
        List<?> rows = em.createNativeQuery("SELECT m.id, m.email, m.role, s.last_seen_at FROM web_session s "
                        + "JOIN member m ON m.id = s.member_id WHERE s.id_hash = ?1 AND s.expires_at > now() AND m.status = 'active'")
                .setParameter(1, hash).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        Instant lastSeen = toInstant(r[3]);
        if (lastSeen == null || lastSeen.isBefore(Instant.now().minusSeconds(300))) {
            // at most one write per session every five minutes
            em.createNativeQuery("UPDATE web_session SET last_seen_at = now() WHERE id_hash = ?1").setParameter(1, hash).executeUpdate();
        }
        return Optional.of(new WebUser(((Number) r[0]).longValue(), (String) r[1], (String) r[2]));
    }

    @Transactional
    public void close(String token) {
        if (token != null && token.length() <= 100) {
            em.createNativeQuery("DELETE FROM web_session WHERE id_hash = ?1").setParameter(1, Secrets.sha256Hex(token)).executeUpdate();
        }
    }

    /** Ends every session of a member (after a password reset). */
    @Transactional
    public void closeAll(long memberId) {
        em.createNativeQuery("DELETE FROM web_session WHERE member_id = ?1").setParameter(1, memberId).executeUpdate();
    }

    @Scheduled(every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeExpired() {
        em.createNativeQuery("DELETE FROM web_session WHERE expires_at < now()").executeUpdate();
        em.createNativeQuery("DELETE FROM email_token WHERE expires_at < now() - interval '7 days'").executeUpdate();
    }

    static Instant toInstant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalArgumentException("not a time: " + o.getClass());
    }
}
