package net.trustbl.engine;

/**
 * An address the engine holds for a trusted sender (the allow zone): its return code (last octet
 * of 127.0.10.x, see {@link TrustedSenders}), since when, and why in words a postmaster can read.
 */
public record TrustedSender(IpBlock ip, int code, long sinceMillis, String reason) {

    /** Vouched for by established members (pinned, or with their own track record). */
    public static final int CODE_VOUCHED = 1;
    /** A long record of lookups without spam evidence. */
    public static final int CODE_CLEAN_RECORD = 2;
    /** A moderator found the sender legitimate (upheld its delisting request). */
    public static final int CODE_MODERATOR = 3;

    /** The reason shown for a code. */
    public static String reasonFor(int code) {
        return switch (code) {
            case CODE_VOUCHED -> "vouched for by established members";
            case CODE_CLEAN_RECORD -> "long clean record: looked up on many days without spam evidence";
            case CODE_MODERATOR -> "a moderator found the sender legitimate";
            default -> "not trusted";
        };
    }
}
