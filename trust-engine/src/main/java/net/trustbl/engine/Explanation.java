package net.trustbl.engine;

/**
 * Why an address is (or is not) listed: the numbers a blocked sender and a moderator need.
 *
 * @param score                 trust-weighted, age-decayed evidence (spam minus positive)
 * @param threshold             the volume threshold: the plain threshold, raised for high-volume senders
 *                              (what lookups can move, and only so fast)
 * @param spamReports           spam reports that still count
 * @param positiveReports       "trusted" reports that still count
 * @param trapHits              spam-trap hits that still count
 * @param lookups               recent DNS lookups (volume)
 * @param firstEvidenceMillis   0 when none
 * @param lastEvidenceMillis    0 when none
 * @param listedSinceMillis     0 when not listed
 * @param expiresAtMillis       when the listing lapses if nothing new arrives; 0 when not listed
 * @param returnCode            last octet of the answer; 0 when not listed
 * @param heldForModeration     evidence passed the threshold but a moderator must decide
 * @param reason                one line in plain words (why listed, held, or not listed)
 * @param bar                   the score the evidence must reach now: the volume threshold, lowered for a
 *                              sender without a clean record (README, "How listing works", rule 6)
 */
public record Explanation(double score, double threshold, int spamReports, int positiveReports, int trapHits,
                          long lookups, long firstEvidenceMillis, long lastEvidenceMillis, long listedSinceMillis,
                          long expiresAtMillis, int returnCode, boolean heldForModeration, String reason, double bar) {

    public boolean listed() {
        return returnCode != 0;
    }

    public static Explanation none(double threshold) {
        return new Explanation(0, threshold, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, "not listed: no evidence", threshold);
    }
}
