package net.trustbl.lookup;

import net.trustbl.engine.Explanation;

/**
 * What the public lookup (the API and the page) tells anyone about an address's evidence. A listed
 * address shows it all: its sender needs to know why, and a report on a visible listing earns
 * nothing (README "How listing works"). An address that is not listed shows whether it is listed,
 * held for a moderator or a trusted sender, its lookups and its volume threshold, but not its score,
 * its bar, its report and trap counts, when evidence was seen, nor samples: anyone can look up any
 * address, and those figures told farmed accounts which addresses had spam evidence just under the
 * line below which a report counts as an early warning that earns trust once a listing follows
 * (issue 11: "the lookup API publishes score and threshold"). Administrators see everything.
 */
public final class EvidenceDisclosure {

    private EvidenceDisclosure() {
    }

    /** Whether the public lookup withholds this address's evidence. */
    public static boolean withheld(Explanation x) {
        return !x.listed();
    }

    /**
     * The reason line the public lookup shows for an address whose evidence it withholds: the
     * engine's own line names the score ("not listed: score 0.85 is below 1.00"), and "no evidence"
     * against "some" tells which addresses were reported at all.
     */
    public static String publicReason(Explanation x) {
        return publicReason(x.listed(), x.heldForModeration(), x.reason());
    }

    static String publicReason(boolean listed, boolean held, String engineReason) {
        String reason = engineReason == null ? "" : engineReason;
        // the rules that leave an address out whatever its evidence name no evidence: shown as they are
        if (listed || reason.startsWith("never listed") || reason.startsWith("always listed")
                || reason.startsWith("not listed: excluded from block")) {
            return reason;
        }
        return held
                ? "held for a moderator: the evidence does not list this address by the rules alone; a moderator decides"
                : "not listed";
    }
}
