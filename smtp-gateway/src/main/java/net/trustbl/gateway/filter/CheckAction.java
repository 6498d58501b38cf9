package net.trustbl.gateway.filter;

import net.trustbl.gateway.transaction.Transaction;

import java.util.Locale;

/**
 * What a failed client check does. The original design found these checks effective but warned of
 * false positives, so each starts off (or tag-only) and the operator raises it: log, then tag,
 * then defer (a temporary refusal the real sender retries), then reject.
 */
public enum CheckAction {
    OFF, LOG, TAG, DEFER, REJECT;

    public static CheckAction parse(String key, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(key + " must be one of off, log, tag, defer, reject; got '" + value + "'");
        }
    }

    /** Whether the check has nothing to do for this client: switched off, or the client is allow-listed. */
    public boolean skips(Transaction tx) {
        return this == OFF || tx.allowListedIp;
    }

    /** Whether the check adds its result headers to accepted mail. */
    public boolean addsHeaders() {
        return this == TAG || this == DEFER || this == REJECT;
    }
}
