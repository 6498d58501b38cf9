package net.trustbl.mail;

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
 * One-time tokens sent by mail (confirm an address, reset a password, confirm a delisting
 * request). Only the SHA-256 is stored; a token works once and only before it expires.
 */
@ApplicationScoped
public class MailTokens {

    public static final String CONFIRM_EMAIL = "confirm-email";
    public static final String RESET_PASSWORD = "reset-password";
    public static final String CONFIRM_DELISTING = "confirm-delisting";

    /** What a token was issued for. */
    public record TokenUse(Long memberId, Long moderationItemId) { }

    @Inject
    EntityManager em;

    @Transactional
    public String issue(String purpose, Long memberId, Long moderationItemId, Duration ttl) {
        String token = Secrets.newToken();
        em.createNativeQuery("INSERT INTO email_token (token_hash, purpose, member_id, moderation_item_id, expires_at) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, Secrets.sha256Hex(token)).setParameter(2, purpose)
                .setParameter(3, memberId).setParameter(4, moderationItemId)
                .setParameter(5, Timestamp.from(Instant.now().plus(ttl))).executeUpdate();
        return token;
    }

    /** Looks a token up without using it (to show the form behind a link). */
    @Transactional
    public Optional<TokenUse> peek(String purpose, String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        List<?> rows = em.createNativeQuery("SELECT member_id, moderation_item_id FROM email_token WHERE token_hash = ?1 "
                        + "AND purpose = ?2 AND used_at IS NULL AND expires_at > now()")
                .setParameter(1, Secrets.sha256Hex(token)).setParameter(2, purpose).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new TokenUse(r[0] == null ? null : ((Number) r[0]).longValue(),
                r[1] == null ? null : ((Number) r[1]).longValue()));
    }

    /** Uses a token: present only the first time, within its lifetime. */
    @Transactional
    public Optional<TokenUse> consume(String purpose, String token) {
        Optional<TokenUse> use = peek(purpose, token);
        if (use.isEmpty()) {
            return use;
        }
        int n = em.createNativeQuery("UPDATE email_token SET used_at = now() WHERE token_hash = ?1 AND used_at IS NULL")
                .setParameter(1, Secrets.sha256Hex(token)).executeUpdate();
        return n == 1 ? use : Optional.empty();
    }

    /** Voids a member's other open tokens of one purpose (a new reset link replaces the old). */
    @Transactional
    public void voidOpen(String purpose, long memberId) {
        em.createNativeQuery("UPDATE email_token SET used_at = now() WHERE purpose = ?1 AND member_id = ?2 AND used_at IS NULL")
                .setParameter(1, purpose).setParameter(2, memberId).executeUpdate();
    }
}
