package net.trustbl.member;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import net.trustbl.common.AuditLog;
import net.trustbl.common.Mailboxes;
import net.trustbl.common.ProblemException;
import net.trustbl.common.Secrets;
import net.trustbl.engine.EngineEvent;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.JournalEntry;
import net.trustbl.journal.MemberViewChanged;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Registration, keys, and the member changes that the trust engine must hear about. */
@ApplicationScoped
public class MemberService {

    static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    /** Password length rules, the same for registration (API) and the account pages. */
    public static final int MIN_PASSWORD = 10;
    public static final int MAX_PASSWORD = 200;
    static final int QUERY_KEY_LENGTH = 10;
    /** The first key of the advisory locks on one mailbox during its registration ("mbx" in ASCII). */
    static final int MAILBOX_LOCK = 0x6d6278;

    @Inject
    EventJournal journal;

    @Inject
    Authenticator authenticator;

    @Inject
    AuditLog audit;

    @Inject
    ApiKeyIssuer keyIssuer;

    @Inject
    jakarta.enterprise.event.Event<MemberViewChanged> viewChanged;

    @Inject
    net.trustbl.common.TrustBlConfig config;

    @Inject
    WebSessionStore sessions;

    @Inject
    jakarta.persistence.EntityManager em;

    /** New query keys per member: each swaps that member's DNS view on every replica, as a rules change does. */
    private net.trustbl.common.RateLimiter keyChanges;

    @jakarta.annotation.PostConstruct
    void init() {
        double perMinute = config.rules().changesPerMinute();
        keyChanges = new net.trustbl.common.RateLimiter(perMinute / 60.0, Math.max(1, perMinute));
    }

    /** A new key: the secret is returned here and never again. */
    public record NewKey(long id, String key, String label) { }

    /** Registers a member and tells the engine it exists (its age counts from now). */
    public Member register(String email, String password, String role) {
        return register(email, password, role, false);
    }

    /** As above; {@code emailConfirmed} for members an administrator creates (they vouch for them). */
    public Member register(String email, String password, String role, boolean emailConfirmed) {
        Member m = createMember(email, password, role, emailConfirmed);
        journal.submitAndWait(List.of(new JournalEntry.Fact(new EngineEvent.MemberJoined(m.id, 0))));
        return m;
    }

    @Transactional
    Member createMember(String email, String password, String role, boolean emailConfirmed) {
        String normalized = validateEmail(email);
        validatePassword(password);
        String mailbox = Mailboxes.canonical(normalized);
        lockMailbox(mailbox);
        // one account per mailbox: me+1@…, m.e@gmail.com and me@googlemail.com are all me@gmail.com's
        // inbox, and fresh accounts are what a trust farmer multiplies (answered as a duplicate email)
        if (Member.count("emailCanonical", mailbox) > 0) {
            throw ProblemException.conflict("email", "a member with this email already exists");
        }
        Member m = new Member();
        m.email = normalized;
        m.emailCanonical = mailbox;
        m.passwordHash = BcryptUtil.bcryptHash(password);
        m.role = role;
        m.createdAt = Instant.now();
        m.queryKey = uniqueQueryKey();
        m.reportAlias = Secrets.newLabel(16);
        m.emailConfirmed = emailConfirmed;
        m.persist();
        return m;
    }

    /**
     * Holds the mailbox until this transaction ends, so that two registrations of one mailbox in
     * parallel cannot both pass the existence check before either is committed. A lock rather than
     * a unique index: databases from before V73 may hold several accounts of one mailbox (see the
     * migration). The two-key form with its own first key stays clear of the journal writer's
     * single-key lock; the existence check runs as a later statement, so it sees what the lock's
     * previous holder committed.
     */
    private void lockMailbox(String mailbox) {
        em.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?1, hashtext(?2))) AS l")
                .setParameter(1, MAILBOX_LOCK)
                .setParameter(2, mailbox)
                .getSingleResult();
    }

    public static String validateEmail(String email) {
        if (email == null || email.isBlank()) {
            throw ProblemException.invalid("email", "required", "email is required");
        }
        String e = email.trim().toLowerCase(Locale.ROOT);
        if (e.length() > 254 || !EMAIL.matcher(e).matches()) {
            throw ProblemException.invalid("email", "format", "email must be a valid address like name@example.org");
        }
        return e;
    }

    public static void validatePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw ProblemException.invalid("password", "min-length",
                    "password must have at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw ProblemException.invalid("password", "max-length",
                    "password must have at most " + MAX_PASSWORD + " characters");
        }
    }

    private static String uniqueQueryKey() {
        for (int i = 0; i < 10; i++) {
            String k = Secrets.newLabel(QUERY_KEY_LENGTH);
            if (Member.count("queryKey", k) == 0) {
                return k;
            }
        }
        throw new IllegalStateException("could not find a free query key");
    }

    /** A full key for the caller's own scripts (scoped machine keys: {@link ApiKeyIssuer}, admins only). */
    public NewKey createKey(Caller caller, String label) {
        ApiKeyIssuer.NewKey k = keyIssuer.issue(caller.memberId(), label, null);
        return new NewKey(k.id(), k.key(), k.label());
    }

    @Transactional
    public void revokeKey(Caller caller, long keyId) {
        ApiKey k = ApiKey.findById(keyId);
        // another member's key looks exactly like a missing one
        if (k == null || (k.memberId != caller.memberId() && !caller.isAdmin())) {
            throw ProblemException.notFound("no such key");
        }
        if (k.revokedAt == null) {
            k.revokedAt = Instant.now();
        }
        if (k.memberId != caller.memberId()) {
            // an admin revoking someone else's key is an admin action
            audit.record(caller.memberId(), "revoke-key", "member:" + k.memberId,
                    "key " + k.id + " (" + k.keyPrefix + "…, " + k.label + ")");
        }
        authenticator.evictAll();
        viewChanged.fire(new MemberViewChanged(k.memberId)); // relayed to standbys, whose key caches forget it too
    }

    /**
     * After a password reset by mail: every full API key made before it is revoked (a thief of the
     * old password or of a web session made them as easily as the owner). When the address was not
     * confirmed until this reset, whoever registered it may not be its owner (anyone can register a
     * stranger's address and make keys with it before the owner claims it), so its report address
     * and DNS query key are replaced too. Machine keys an administrator made for a route stay:
     * they run the operator's gateways and responders. Returns how many keys were revoked.
     */
    public int secureAfterReset(long memberId, boolean wasConfirmed) {
        int revoked = revokeFullKeys(memberId);
        if (!wasConfirmed) {
            regenerateReportAlias(memberId);
            storeNewQueryKey(memberId);
        }
        authenticator.evictAll();
        viewChanged.fire(new MemberViewChanged(memberId)); // standbys forget the keys, views take the new query key
        return revoked;
    }

    @Transactional
    int revokeFullKeys(long memberId) {
        return ApiKey.update("revokedAt = ?1 where memberId = ?2 and revokedAt is null and scope is null", Instant.now(), memberId);
    }

    @Transactional
    public List<ApiKey> keys(long memberId) {
        return ApiKey.list("memberId = ?1 order by id", memberId);
    }

    public String regenerateQueryKey(long memberId) {
        keyChanges.acquire(memberId, 1); // 429 beyond trustbl.rules.changes-per-minute
        String key = storeNewQueryKey(memberId);
        viewChanged.fire(new MemberViewChanged(memberId));
        return key;
    }

    @Transactional
    String storeNewQueryKey(long memberId) {
        Member m = Member.findById(memberId);
        m.queryKey = uniqueQueryKey();
        return m.queryKey;
    }

    /**
     * A new report address alias; the old one stops working at once. Mailed reports are filed in
     * the name of whoever owns the alias, so a member whose report address leaked (a bounce, a
     * forwarding rule that shows it) replaces it, as with the query key.
     */
    @Transactional
    public String regenerateReportAlias(long memberId) {
        Member m = Member.findById(memberId);
        m.reportAlias = Secrets.newLabel(16);
        return m.reportAlias;
    }

    /** Admin: pin (or unpin) a member's trust; the engine counts pinned trust whatever the age. */
    public void pinTrust(Caller admin, long memberId, Double trust, boolean pinned) {
        if (pinned && (trust == null || trust < 0 || trust > 1 || trust.isNaN())) {
            throw ProblemException.invalid("trust", "range", "trust must be a number from 0.0 to 1.0");
        }
        requireMember(memberId);
        journal.submitAndWait(List.of(new JournalEntry.Fact(new EngineEvent.TrustPinned(memberId, pinned ? trust : null, 0))));
        audit.record(admin.memberId(), "pin-trust", "member:" + memberId, pinned ? "trust=" + trust : "unpinned");
    }

    /** Admin: suspend or reactivate; a suspended member's keys stop working and its reports stop counting. */
    public void setSuspended(Caller admin, long memberId, boolean suspended) {
        updateStatus(memberId, suspended);
        authenticator.evictAll();
        viewChanged.fire(new MemberViewChanged(memberId));
        journal.submitAndWait(List.of(new JournalEntry.Fact(new EngineEvent.MemberSuspended(memberId, suspended, 0))));
        audit.record(admin.memberId(), suspended ? "suspend" : "reactivate", "member:" + memberId, null);
    }

    @Transactional
    void updateStatus(long memberId, boolean suspended) {
        Member m = requireMember(memberId);
        if (suspended && Member.ROLE_ADMIN.equals(m.role) && m.isActive()
                && Member.activeAdmins() <= 1) {
            // nobody could reactivate anyone then, and the setup link is only for a service without admins
            throw new ProblemException(409, "Conflict", "this is the last active administrator; make another one first", null, "last-admin", null, null);
        }
        m.status = suspended ? Member.STATUS_SUSPENDED : Member.STATUS_ACTIVE;
        if (suspended) {
            sessions.deleteAllOf(memberId); // a reactivation must not bring old cookies back to life
        }
    }

    @Transactional
    public Member requireMember(long memberId) {
        Member m = Member.findById(memberId);
        if (m == null) {
            throw ProblemException.notFound("no member " + memberId);
        }
        return m;
    }
}
