package net.trustbl.gateway.traps;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Keys with an expiry time, bounded. Every key lives the same time from when it was last set, so
 * the order keys were set in is the order they expire in: expired keys are dropped from the oldest
 * end, one step per key and never a scan of the table, and a full table drops its oldest key to make
 * room (the newest block matters most). Shared by every event loop; every call is short.
 */
final class ExpiringKeys {

    private final int maxEntries;
    /** Insertion-ordered: a key set again is moved to the newest end. */
    private final LinkedHashMap<String, Long> until = new LinkedHashMap<>();

    ExpiringKeys(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The key's expiry, or null when it is not set or has expired. */
    synchronized Long get(String key, long now) {
        Long t = until.get(key);
        if (t != null && t <= now) {
            until.remove(key);
            return null;
        }
        return t;
    }

    /** Sets the key's expiry (a key set again moves to the newest end). */
    synchronized void put(String key, long expiry, long now) {
        until.remove(key);
        Iterator<Long> oldest = until.values().iterator();
        while (oldest.hasNext()) {
            long t = oldest.next();
            if (t > now && until.size() < maxEntries) {
                break; // the oldest live key: every key after it expires later
            }
            oldest.remove();
        }
        until.put(key, expiry);
    }

    /** Sets the key unless it is set and not expired; true when it was set. */
    synchronized boolean putIfUnset(String key, long expiry, long now) {
        if (get(key, now) != null) {
            return false;
        }
        put(key, expiry, now);
        return true;
    }
}
