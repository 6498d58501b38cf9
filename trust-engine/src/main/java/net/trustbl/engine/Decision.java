package net.trustbl.engine;

import net.trustbl.address.IpBlock;

/** What the engine concluded from an event; the service persists and publishes these. */
public sealed interface Decision permits Decision.ListingChanged, Decision.TrustChanged,
        Decision.HeldForModeration, Decision.ReportOutcomeChanged, Decision.TrustedChanged {

    long atMillis();

    /**
     * EXCLUDED: a single address inside a listed block is answered as not listed (return code -1,
     * the DNS index's exclusion); EXCLUSION_ENDED: that exclusion is gone (return code 0).
     */
    enum Change {
        CREATED, RAISED, LOWERED, REMOVED, EXCLUDED, EXCLUSION_ENDED;

        /** Whether the entry leaves the zone (a removed listing or an ended exclusion). */
        public boolean leavesZone() {
            return this == REMOVED || this == EXCLUSION_ENDED;
        }
    }

    /**
     * A listing appeared, changed its return code, or went away.
     *
     * @param returnCode last octet of the 127.0.0.x answer (2 trusted reports, 3 with trap
     *                   evidence); 0 when removed; -1 for an exclusion ({@link Change#EXCLUDED})
     * @param reason     one line a blocked sender can read (why listed, why removed)
     */
    record ListingChanged(IpBlock ip, Change change, int returnCode, Explanation explanation, long atMillis,
                          String reason)
            implements Decision { }

    record TrustChanged(long memberId, double oldTrust, double newTrust, String reason, long atMillis)
            implements Decision { }

    /** Evidence passed the threshold, but the sender is big (high lookup volume): a moderator decides. */
    record HeldForModeration(IpBlock ip, String reason, Explanation explanation, long atMillis)
            implements Decision { }

    record ReportOutcomeChanged(long reportId, ReportOutcome outcome, long atMillis) implements Decision { }

    /**
     * An address became a trusted sender, changed its reason, or stopped being one (the allow zone).
     *
     * @param code last octet of the 127.0.10.x answer ({@link TrustedSender}); 0 when removed
     */
    record TrustedChanged(IpBlock ip, int code, String reason, long atMillis) implements Decision { }
}
