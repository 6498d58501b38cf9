package net.trustbl.ui;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import net.trustbl.common.Secrets;
import net.trustbl.member.WebSessionStore;

import java.time.Duration;
import java.time.Instant;
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
    WebSessionStore store;

    @Inject
    WebConfig config;

    public Duration lifetime() {
        return config.sessionLifetime();
    }

    /** Opens a session and returns the token for the cookie. */
    @Transactional
    public String open(long memberId) {
        String token = Secrets.newToken();
        store.insert(Secrets.sha256Hex(token), memberId, Instant.now().plus(lifetime()));
        return token;
    }

    @Transactional
    public Optional<WebUser> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.sha256Hex(token);
        Optional<WebSessionStore.OpenSession> found = store.find(hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        WebSessionStore.OpenSession r = found.get();
        if (r.lastSeen() == null || r.lastSeen().isBefore(Instant.now().minusSeconds(300))) {
            store.touch(hash); // at most one write per session every five minutes
        }
        return Optional.of(new WebUser(r.memberId(), r.email(), r.role()));
    }

    @Transactional
    public void close(String token) {
        if (token != null && token.length() <= 100) {
            store.delete(Secrets.sha256Hex(token));
        }
    }

    /** Ends every session of a member (after a password reset). */
    @Transactional
    public void closeAll(long memberId) {
        store.deleteAllOf(memberId);
    }

    @Scheduled(every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        store.purgeExpired();
    }
}
