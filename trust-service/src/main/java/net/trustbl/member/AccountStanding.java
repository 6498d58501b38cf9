package net.trustbl.member;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import net.trustbl.common.DatabaseFailures;
import net.trustbl.common.ProblemException;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.engine.MemberTrust;
import net.trustbl.trust.TrustEngineHost;

import java.time.Duration;
import java.time.Instant;

/**
 * What an account has paid in so far, for the rules that make accounts cost something:
 * <ul>
 *   <li><b>confirmed</b>: its email is confirmed, or an administrator vouched for it (admins,
 *       members an admin created, pinned trust). Only a confirmed account's reports weigh.</li>
 *   <li><b>new</b>: not confirmed, or below {@code trustbl.engine.min-reporter-trust}, or younger
 *       than {@code trustbl.engine.min-member-age} unless its trust is pinned (the rule by which the
 *       engine lets a report count, except that the engine counts a seasoned member, two months old
 *       with an independently confirmed report, at the trust floor: its caps stay strict until its
 *       trust reaches it); new accounts get the stricter daily caps.</li>
 * </ul>
 * Trust and pins come live from the engine; the member row is cached for a few seconds because
 * every report asks (a confirmation elsewhere, e.g. on another replica, shows within that time).
 */
@ApplicationScoped
public class AccountStanding {

    private record Row(boolean admin, boolean emailConfirmed, Instant createdAt) { }

    @Inject
    TrustEngineHost engine;

    @Inject
    TrustBlConfig config;

    private final Cache<Long, Row> rows = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(10))
            .maximumSize(100_000).build();

    /** True when the member's reports weigh: email confirmed, admin, or trust pinned by an admin. */
    public boolean confirmed(long memberId) {
        Row r = row(memberId);
        return r.admin() || r.emailConfirmed() || pinned(memberId);
    }

    public boolean isAdmin(long memberId) {
        return row(memberId).admin();
    }

    /** True when the member gets the stricter caps of a new account. */
    public boolean isNew(long memberId) {
        Row r = row(memberId);
        if (r.admin()) {
            return false;
        }
        MemberTrust t = engine.member(memberId);
        boolean pinned = t != null && t.pinned();
        if (!(r.emailConfirmed() || pinned)) {
            return true;
        }
        double trust = t == null ? 0 : t.trust();
        boolean young = r.createdAt().plus(config.engine().minMemberAge()).isAfter(Instant.now());
        return trust < config.engine().minReporterTrust() || (young && !pinned);
    }

    /** Forget what is cached about a member (after its email was confirmed here). */
    public void evict(long memberId) {
        rows.invalidate(memberId);
    }

    private boolean pinned(long memberId) {
        MemberTrust t = engine.member(memberId);
        return t != null && t.pinned();
    }

    private Row row(long memberId) {
        try {
            return rows.get(memberId, this::load);
        } catch (RuntimeException e) {
            if (DatabaseFailures.isDatabaseDown(e)) {
                throw ProblemException.unavailable("the account cannot be checked right now; nothing was kept, retry later", 5);
            }
            throw e;
        }
    }

    @Transactional
    Row load(long memberId) {
        Member m = Member.findById(memberId);
        if (m == null) {
            throw ProblemException.unauthorized("unknown or revoked API key");
        }
        return new Row(m.isAdmin(), m.emailConfirmed, m.createdAt);
    }
}
