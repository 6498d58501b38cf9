package net.trustbl.address;

/**
 * The A records TrustBL answers, with what each means. The block list ({@code bl.}) answers
 * 127.0.0.x, the allow list ({@code wl.}) 127.0.10.x; engines and feeds carry only the last octet
 * ({@link #code()}), 0 meaning "no answer".
 */
public enum ReturnCode {
    /** Listed on members' reports. */
    LISTED_ON_REPORTS(Zone.BLOCK, 2, "listed on reports by trusted members"),
    /** Listed, with spam-trap hits in the evidence. */
    LISTED_WITH_TRAP_HITS(Zone.BLOCK, 3, "listed with spam-trap evidence"),
    /** On the asking member's own deny list (personal query keys only). */
    PERSONAL_DENY(Zone.BLOCK, 4, "listed by a member's own deny list"),
    /** Vouched for by established members. */
    VOUCHED(Zone.ALLOW, 1, "vouched for by established members"),
    /** Looked up on many days without spam evidence. */
    CLEAN_RECORD(Zone.ALLOW, 2, "long clean record: looked up on many days without spam evidence"),
    /** A moderator upheld its delisting request. */
    MODERATOR(Zone.ALLOW, 3, "a moderator found the sender legitimate");

    /** Which zone answers the code: the block list (127.0.0.x) or the allow list (127.0.10.x). */
    public enum Zone {
        BLOCK("127.0.0."), ALLOW("127.0.10.");

        private final String prefix;

        Zone(String prefix) {
            this.prefix = prefix;
        }

        /** The answer's text for a last octet, e.g. {@code 127.0.0.2}; null for 0 (not listed). */
        public String address(int code) {
            return code == 0 ? null : prefix + code;
        }
    }

    private final Zone zone;
    private final int code;
    private final String meaning;

    ReturnCode(Zone zone, int code, String meaning) {
        this.zone = zone;
        this.code = code;
        this.meaning = meaning;
    }

    public Zone zone() {
        return zone;
    }

    /** The last octet of the answer, as the engine and the zone data carry it. */
    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The answer as text, e.g. {@code 127.0.0.2}. */
    public String address() {
        return zone.address(code);
    }

    /** The code of a zone with this last octet, or null when none. */
    public static ReturnCode of(Zone zone, int code) {
        for (ReturnCode r : values()) {
            if (r.zone == zone && r.code == code) {
                return r;
            }
        }
        return null;
    }

    /** The block list's answer text for a last octet; null for 0. */
    public static String listedAddress(int code) {
        return Zone.BLOCK.address(code);
    }

    /** The allow list's answer text for a last octet; null for 0. */
    public static String trustedAddress(int code) {
        return Zone.ALLOW.address(code);
    }
}
