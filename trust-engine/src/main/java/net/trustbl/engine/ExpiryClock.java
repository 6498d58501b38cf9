package net.trustbl.engine;

import java.util.PriorityQueue;

/**
 * When listings lapse. A new listing pushes an entry; a renewal only moves the listing's expiry,
 * and its entry, once due, goes back in at the new time ({@link #pollDue}): a spam source reported
 * hundreds of times pushed hundreds of entries, each a heap operation. Entries whose listing
 * ended are dropped on the way out.
 */
final class ExpiryClock {

    record Due(long atMillis, IpEvidence ip) { }

    private final PriorityQueue<Due> queue = new PriorityQueue<>(64, ExpiryClock::order);

    /** Earliest first; equal times in address order so that replays and tick rates never reorder them. */
    private static int order(Due a, Due b) {
        int c = Long.compare(a.atMillis, b.atMillis);
        return c != 0 ? c : a.ip.ip.compareTo(b.ip.ip);
    }

    void schedule(IpEvidence ip, long atMillis) {
        queue.add(new Due(atMillis, ip));
    }

    /** Time of the next entry (possibly stale), or Long.MAX_VALUE. */
    long nextAt() {
        Due d = queue.peek();
        return d == null ? Long.MAX_VALUE : d.atMillis;
    }

    /**
     * Removes and returns the next entry if it is due at or before {@code t} and still current; an
     * entry of a listing renewed since goes back in at its new expiry.
     */
    IpEvidence pollDue(long t) {
        while (!queue.isEmpty() && queue.peek().atMillis <= t) {
            Due d = queue.poll();
            if (d.ip.listed()) {
                if (d.ip.expiresAtMillis == d.atMillis) {
                    return d.ip;
                }
                if (d.ip.expiresAtMillis > d.atMillis) {
                    queue.add(new Due(d.ip.expiresAtMillis, d.ip));
                }
            }
        }
        return null;
    }

    int size() {
        return queue.size();
    }

    /** Every entry, stale ones included, for a snapshot (in no particular order). */
    Iterable<Due> entries() {
        return queue;
    }
}
