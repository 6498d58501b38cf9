package net.trustbl.gateway.dns;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's DNS answers by question, bounded. When full it makes room the way that keeps what
 * is in use: expired answers go first, then the least asked for since the last time room was
 * made (each answer counts the times it was served, and the counts halve at every sweep, so an
 * answer stays only while it is still asked for). It used to be cleared whole: one session naming
 * a fresh domain of a wildcard zone at every MAIL FROM filled it and wiped every cached DNSBL
 * answer with it, sending every client's lookups back to the resolver (and to the public lists'
 * query limits); a name asked for twice is no way around the counts.
 */
final class AnswerCache {

    private static final class Entry {
        final DnsAnswer answer;
        final long expiresAt;
        /** Times served since it was cached, halved at every sweep (races lose a count: harmless). */
        volatile int served;

        Entry(DnsAnswer answer, long expiresAt) {
            this.answer = answer;
            this.expiresAt = expiresAt;
        }
    }

    private final int capacity;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    AnswerCache(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    /** The cached answer, or null when there is none that is still valid at {@code now}. */
    DnsAnswer get(String question, long now) {
        Entry e = entries.get(question);
        if (e == null || e.expiresAt <= now) {
            return null;
        }
        if (e.served < 1 << 20) {
            e.served++;
        }
        return e.answer;
    }

    void put(String question, DnsAnswer answer, long expiresAt, long now) {
        if (entries.size() >= capacity && !entries.containsKey(question)) {
            makeRoom(now);
        }
        entries.put(question, new Entry(answer, expiresAt));
    }

    int size() {
        return entries.size();
    }

    void clear() {
        entries.clear();
    }

    /** Frees at least a tenth of the capacity (so that this runs once per many answers, not per answer). */
    private synchronized void makeRoom(long now) {
        int target = capacity - Math.max(1, capacity / 10);
        if (entries.size() <= target) {
            return; // another thread made room meanwhile
        }
        entries.values().removeIf(e -> e.expiresAt <= now);
        if (entries.size() > target) {
            // the least served go: find the count below which enough of them lie
            int[] counts = entries.values().stream().mapToInt(e -> e.served).sorted().toArray();
            int excess = entries.size() - target;
            int cutoff = counts[Math.min(excess, counts.length) - 1];
            entries.values().removeIf(e -> e.served < cutoff);
            Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
            while (entries.size() > target && it.hasNext()) {
                if (it.next().getValue().served == cutoff) {
                    it.remove();
                }
            }
        }
        for (Entry e : entries.values()) {
            e.served >>= 1; // what was asked for long ago counts less than what is asked for now
        }
    }
}
