package net.trustbl.member;

import jakarta.inject.Inject;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;
import net.trustbl.common.ProblemException;
import net.trustbl.common.Secrets;
import net.trustbl.journal.MemberViewChanged;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates API requests: {@code Authorization: Bearer <api key>} for everything a script
 * does, HTTP Basic (email:password) only to create keys. Valid keys are cached briefly so that
 * report ingestion does not hit the database per request; revocation and suspension evict.
 */
@ApplicationScoped
public class Authenticator {

    private static final long CACHE_MILLIS = 60_000;
    /** A bcrypt hash to compare against when the email is unknown, so timing does not tell. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("not-a-real-password");

    private record CachedKey(Caller caller, long loadedAt) { }

    private final Map<String, CachedKey> keys = new ConcurrentHashMap<>();
    private final Map<Long, Instant> lastUsed = new ConcurrentHashMap<>();

    @Inject
    BasicAuthThrottle throttle;

    /**
     * The member behind a full Bearer API key, or 401/403. Scoped machine keys get 403 here: every
     * member and admin route comes through this method, so a scoped key works nowhere else unless
     * a route asks for its scope through {@link #machine}.
     */
    public Caller bearer(String authorization) {
        Caller c = anyKey(authorization);
        if (c.isScoped()) {
            throw scopedElsewhere(c);
        }
        return c;
    }

    /**
     * A machine route: a key with this scope, or (kept for deployments made before scopes) an
     * admin's full key; anything else gets 403.
     */
    public Caller machine(String authorization, KeyScope scope) {
        Caller c = anyKey(authorization);
        if (c.scope() == scope || c.isAdmin()) {
            return c;
        }
        throw c.isScoped() ? scopedElsewhere(c) : ProblemException.forbidden("this route needs a key with scope '"
                + scope.wireName() + "' (an administrator creates it: POST /api/v1/admin/keys) or an admin key");
    }

    /**
     * A route members use too (trap hits): a key with this scope or any full key; a key with
     * another scope gets 403. The route decides what a full key may do.
     */
    public Caller machineOrMember(String authorization, KeyScope scope) {
        Caller c = anyKey(authorization);
        if (c.isScoped() && c.scope() != scope) {
            throw scopedElsewhere(c);
        }
        return c;
    }

    /** An admin's full key, or 401/403. */
    public Caller admin(String authorization) {
        Caller c = bearer(authorization);
        if (!c.isAdmin()) {
            throw ProblemException.forbidden("admin role required");
        }
        return c;
    }

    private static ProblemException scopedElsewhere(Caller c) {
        return ProblemException.forbidden("this key is scoped to '" + c.scope().wireName() + "' and works only on "
                + c.scope().routes());
    }

    private Caller anyKey(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.unauthorized("an API key is required: Authorization: Bearer <key>");
        }
        String key = authorization.substring(7).trim();
        if (key.isEmpty() || key.length() > 100) {
            throw ProblemException.unauthorized("unknown or revoked API key");
        }
        String hash = Secrets.sha256Hex(key);
        long now = System.currentTimeMillis();
        CachedKey cached = keys.get(hash);
        if (cached == null || now - cached.loadedAt() > CACHE_MILLIS) {
            try {
                cached = new CachedKey(loadKey(hash), now);
                keys.put(hash, cached);
            } catch (RuntimeException e) {
                // while the database is down, a key that was valid a minute ago still is: keep
                // answering (the journal then says 503) instead of failing every request slowly
                if (cached == null || !net.trustbl.common.DatabaseFailures.isDatabaseDown(e)) {
                    throw e;
                }
            }
        }
        lastUsed.put(cached.caller().keyId(), Instant.now());
        return cached.caller();
    }

    @Transactional
    Caller loadKey(String hash) {
        ApiKey k = ApiKey.find("keyHash = ?1 and revokedAt is null", hash).firstResult();
        if (k == null) {
            throw ProblemException.unauthorized("unknown or revoked API key");
        }
        Member m = Member.findById(k.memberId);
        if (m == null) {
            throw ProblemException.unauthorized("unknown or revoked API key");
        }
        if (!m.isActive()) {
            throw ProblemException.forbidden("this member is suspended");
        }
        return new Caller(m.id, k.id, m.role, m.email, k.keyScope());
    }

    /** The member behind HTTP Basic email:password, or 401/403. */
    @Transactional
    /** HTTP Basic with the client's address: attempts are throttled per client and per email (429). */
    public Caller basic(String authorization, String clientAddress) {
        String[] pair = basicPair(authorization);
        Member m = throttle.guard(clientAddress, pair[0], () -> checkPassword(pair[0], pair[1]));
        return new Caller(m.id, null, m.role, m.email);
    }

    /**
     * A logged-in member re-enters its password before an action that outlives the session (a new
     * API key): throttled per client and account like HTTP Basic (429), 401 when wrong.
     */
    public Member confirmPassword(String email, String password, String clientAddress) {
        return throttle.guard(clientAddress, email, () -> checkPassword(email, password));
    }

    private static String[] basicPair(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw ProblemException.unauthorized("HTTP Basic authentication (email:password) is required");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.unauthorized("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw ProblemException.unauthorized("malformed Basic credentials");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    /** Checks an email/password pair (also used by the web login). */
    @Transactional
    public Member checkPassword(String email, String password) {
        return checkPassword(email == null ? null
                : Member.<Member>find("email", email.trim().toLowerCase(Locale.ROOT)).firstResult(), password);
    }

    /** As {@link #checkPassword(String, String)} for a member the caller already looked up (null: none). */
    public Member checkPassword(Member m, String password) {
        boolean ok = BcryptUtil.matches(password == null ? "" : password, m == null ? DUMMY_HASH : m.passwordHash);
        if (m == null || !ok) {
            throw ProblemException.unauthorized("wrong email or password");
        }
        if (!m.isActive()) {
            throw ProblemException.forbidden("this member is suspended");
        }
        return m;
    }

    /** Forget cached keys (after a revocation or suspension). */
    public void evictAll() {
        keys.clear();
    }

    /**
     * A member's keys or standing changed, here or on the writer: a standby hears of it through
     * {@link net.trustbl.journal.WriterDirectory}'s relay about a second later, so a revoked key or
     * a suspended member stops working there too, instead of for the rest of the cache's minute.
     */
    void onMemberChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) MemberViewChanged ev) {
        keys.values().removeIf(k -> k.caller().memberId() == ev.memberId());
    }

    /** Writes "last used" times in one go instead of one UPDATE per request. */
    @Scheduled(every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void flushLastUsed() {
        if (lastUsed.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, Instant> e : Map.copyOf(lastUsed).entrySet()) {
            lastUsed.remove(e.getKey(), e.getValue());
            ApiKey.update("lastUsedAt = ?1 where id = ?2", e.getValue(), e.getKey());
        }
    }
}
