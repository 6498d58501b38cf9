package net.trustbl.engine;

import net.trustbl.address.ReturnCode;
import net.trustbl.address.IpBlock;

/**
 * An address the engine holds for a trusted sender (the allow zone): its return code (last octet
 * of 127.0.10.x, see {@link TrustedSenders}), since when, and why in words a postmaster can read.
 */
public record TrustedSender(IpBlock ip, int code, long sinceMillis, String reason) {

    /** Vouched for by established members (pinned, or with their own track record). */
    public static final int CODE_VOUCHED = ReturnCode.VOUCHED.code();
    /** A long record of lookups without spam evidence. */
    public static final int CODE_CLEAN_RECORD = ReturnCode.CLEAN_RECORD.code();
    /** A moderator found the sender legitimate (upheld its delisting request). */
    public static final int CODE_MODERATOR = ReturnCode.MODERATOR.code();

    /** The reason shown for a code. */
    public static String reasonFor(int code) {
        ReturnCode r = ReturnCode.of(ReturnCode.Zone.ALLOW, code);
        return r == null ? "not trusted" : r.meaning();
    }
}
