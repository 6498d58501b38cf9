package net.trustbl.engine;

import java.util.ArrayList;

/** One member as the engine tracks it (mutable; owned by {@link MemberBook}). */
final class MemberState {

    final long id;
    /** Earliest sign of the account (a report may arrive before its join event). */
    long joinedAtMillis;
    /** Trust earned by confirmed reports, minus strikes; what counts when no pin is set. */
    double earnedTrust;
    /** Admin pin, or NaN when none. */
    double pinnedTrust = Double.NaN;
    int strikes;
    /** Strikes for listings found wrong (not for vouching): they take the new-sender voice (MemberBook#newSenderVoice). */
    int wrongListings;
    /** When the latest two of those listings of young addresses were found wrong (Long.MIN_VALUE: none, or before snapshots kept them). */
    long lastWrongListingAt = Long.MIN_VALUE;
    long previousWrongListingAt = Long.MIN_VALUE;

    boolean suspended;
    int confirmedReports;
    /** CohortWatch's cached verdict: suspect until this time, as of its version (scratch, not in snapshots). */
    long suspectUntil = Long.MIN_VALUE;
    long cohortVersion = -1;
    /** Distinct days on which this member earned trust since its last strike (its independent track record). */
    int earningDays;
    long lastEarnDay = Long.MIN_VALUE;
    int earnedThatDay;
    /** Its spam claims (reports on unlisted addresses) and how many were confirmed, decayed; see {@link MemberBook}. */
    double claims;
    double confirmedClaims;
    long claimsAt;
    /** What its precision allows of its trust (0..1), updated whenever a claim is filed or confirmed. */
    double precisionBound = 1.0;
    /**
     * Some report of this member was filed while it was inert and left out of its address's
     * weighable reports (IpEvidence#weighable); every such address is among {@link #recentTargets}
     * (a target dropped from there takes its reports back first), so that waking can readmit them.
     */
    boolean leftOut;
    /** Addresses this member reported recently (newest last), so a suspension or pin can re-judge them. */
    final ArrayList<IpEvidence> recentTargets = new ArrayList<>(4);
    /** When each of {@link #recentTargets} was last reported (the first {@code recentTargets.size()} entries; unboxed: every report writes one). */
    private long[] recentTargetTimes = new long[4];

    MemberState(long id, long joinedAtMillis, double startTrust) {
        this.id = id;
        this.joinedAtMillis = joinedAtMillis;
        this.earnedTrust = startTrust;
    }

    boolean pinned() {
        return !Double.isNaN(pinnedTrust);
    }

    /** The trust shown to people: pin or earned, suspension aside. */
    double shownTrust() {
        return pinned() ? pinnedTrust : earnedTrust;
    }

    /** Recent targets kept at most (a pin or suspension re-judges these; older ones weigh little anyway). */
    static final int MAX_RECENT_TARGETS = 256;

    void rememberTarget(IpEvidence ip, long atMillis, long keepMillis) {
        int n = recentTargets.size();
        if (n > 0 && recentTargets.get(n - 1) == ip) {
            recentTargetTimes[n - 1] = atMillis;
            return;
        }
        // forget targets older than the evidence window (they no longer weigh anything)
        int drop = 0;
        while (drop < n && (recentTargetTimes[drop] < atMillis - keepMillis || n - drop >= MAX_RECENT_TARGETS)) {
            drop++;
        }
        if (drop > 0) {
            if (leftOut) {
                // targets beyond the cap may still hold reports left out: they go back before the
                // target is forgotten (a target dropped for its age holds nothing that still weighs)
                for (int i = 0; i < drop; i++) {
                    if (recentTargetTimes[i] >= atMillis - keepMillis) {
                        recentTargets.get(i).readmit(this);
                    }
                }
            }
            recentTargets.subList(0, drop).clear();
            System.arraycopy(recentTargetTimes, drop, recentTargetTimes, 0, n - drop);
        }
        addRecentTarget(ip, atMillis);
    }

    /** Appends a recent target (as reported at {@code atMillis}); snapshots restore them so. */
    void addRecentTarget(IpEvidence ip, long atMillis) {
        int n = recentTargets.size();
        if (n == recentTargetTimes.length) {
            recentTargetTimes = java.util.Arrays.copyOf(recentTargetTimes, Math.max(4, n * 2));
        }
        recentTargetTimes[n] = atMillis;
        recentTargets.add(ip);
    }

    /** When the {@code i}-th of {@link #recentTargets} was last reported. */
    long recentTargetTime(int i) {
        return recentTargetTimes[i];
    }

    MemberTrust view() {
        return new MemberTrust(id, shownTrust(), strikes, pinned(), suspended, joinedAtMillis, confirmedReports);
    }
}
