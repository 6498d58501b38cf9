package net.trustbl.gateway.dns;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's DNS answers by question, bounded. When full it makes room the way that keeps what
 * is in use: expired answers go first, then answers nobody asked for again, then (rarely) a tenth
 * of the rest. It used to be cleared whole: one session naming a fresh domain of a wildcard zone
 * at every MAIL FROM filled it and wiped every cached DNSBL answer with it, sending every
 * client's lookups back to the resolver (and to the public lists' query limits).
 */
final class AnswerCache {

    private static final class Entry {
        final DnsAnswer answer;
        final long expiresAt;
        volatile boolean askedAgain;

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
        if (!e.askedAgain) {
            e.askedAgain = true;
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
            entries.values().removeIf(e -> !e.askedAgain);
        }
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > target && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
