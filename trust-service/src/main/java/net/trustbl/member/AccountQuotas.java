package net.trustbl.member;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.ProblemException;
import net.trustbl.common.TrustBlConfig;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Daily quotas per account, whatever key or channel it uses: reports ({@code trustbl.reports.daily-cap},
 * stricter {@code daily-cap-new} for new accounts) and raw messages (count and bytes). Beyond a
 * quota: 429 problem+json with Retry-After until the UTC day rolls over. Administrators have none.
 */
@ApplicationScoped
public class AccountQuotas {

    static final String REPORTS = "reports";
    static final String RAW = "raw";
    static final String RAW_BYTES = "raw-bytes";
    static final String TRAP_HITS = "trap-hits";

    @Inject
    DailyCounters counters;

    @Inject
    AccountStanding standing;

    @Inject
    TrustBlConfig config;

    /** Counts {@code reports} more reports of today, or throws 429 (nothing counted) when they do not fit. */
    public void chargeReports(long memberId, int reports) {
        if (standing.isAdmin(memberId)) {
            return;
        }
        boolean fresh = standing.isNew(memberId);
        long cap = fresh ? config.reports().dailyCapNew() : config.reports().dailyCap();
        long used = counters.addWithin(memberId, REPORTS, reports, cap);
        if (used >= 0) {
            throw overQuota("reports", "daily-cap", "at most " + cap + " reports a day for " + who(fresh)
                    + "; " + used + " used today, " + reports + " sent");
        }
    }

    /** Counts {@code hits} more trap hits of today from a member's feed, or throws 429 (nothing counted). */
    public void chargeTrapHits(long memberId, int hits) {
        long cap = config.traps().dailyCapPerMember();
        long used = counters.addWithin(memberId, TRAP_HITS, hits, cap);
        if (used >= 0) {
            throw overQuota("hits", "daily-cap", "at most " + cap + " trap hits a day from a member's feed; "
                    + used + " used today, " + hits + " sent");
        }
    }

    /** Takes back {@code hits} that {@link #chargeTrapHits} counted but that were not stored. */
    public void refundTrapHits(long memberId, int hits) {
        if (hits > 0) {
            counters.addWithin(memberId, TRAP_HITS, -hits, Long.MAX_VALUE);
        }
    }

    /** Takes back {@code reports} that {@link #chargeReports} counted but that were not filed after all. */
    public void refundReports(long memberId, int reports) {
        if (reports > 0 && !standing.isAdmin(memberId)) {
            counters.addWithin(memberId, REPORTS, -reports, Long.MAX_VALUE);
        }
    }

    /** Counts one raw message of {@code bytes}, or throws 429 when the day's count or bytes are used up. */
    public void chargeRawMessage(long memberId, long bytes) {
        if (standing.isAdmin(memberId)) {
            return;
        }
        boolean fresh = standing.isNew(memberId);
        TrustBlConfig.Reports r = config.reports();
        long maxCount = fresh ? r.rawPerDayNew() : r.rawPerDay();
        long maxBytes = fresh ? r.rawBytesPerDayNew() : r.rawBytesPerDay();
        // bytes first: a refused message then costs nothing; a message refused on count has paid its bytes
        long usedBytes = counters.addWithin(memberId, RAW_BYTES, bytes, maxBytes);
        if (usedBytes >= 0) {
            throw overQuota("message", "daily-bytes", "at most " + maxBytes + " bytes of raw messages a day for "
                    + who(fresh) + "; " + usedBytes + " used today, this one has " + bytes);
        }
        long usedCount = counters.addWithin(memberId, RAW, 1, maxCount);
        if (usedCount >= 0) {
            throw overQuota("message", "daily-count", "at most " + maxCount + " raw messages a day for " + who(fresh)
                    + "; all used today");
        }
    }

    private static String who(boolean fresh) {
        return fresh ? "a new account (email not confirmed, younger than the minimum age or below the minimum trust)"
                : "an account";
    }

    private ProblemException overQuota(String field, String rule, String detail) {
        Instant now = counters.clock.instant();
        Instant midnight = counters.today().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long retry = Math.max(1, Duration.between(now, midnight).toSeconds());
        return new ProblemException(429, "Daily quota used up", detail + "; it renews at 00:00 UTC", field, rule, null, retry);
    }
}
