package net.trustbl.gateway.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live figures for the console and Prometheus: sessions open now, verdicts per filter per minute
 * (last hour), the most recent rejections. Written from several event loops, read by the console.
 */
@ApplicationScoped
public class GatewayStats {

    static final int MINUTES = 60;
    static final int RECENT = 100;

    private final MeterRegistry registry;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** key "filter/verdict" → counts per minute slot (minute-of-epoch modulo 60). */
    private final Map<String, AtomicLongArray> perMinute = new ConcurrentHashMap<>();
    private final AtomicLongArray slotMinute = new AtomicLongArray(MINUTES);
    private final Deque<Rejection> recent = new ArrayDeque<>();
    /** filter → verdict → its counter and "filter/verdict" key (the same objects as in {@link #counters}). */
    private final Map<String, Map<String, VerdictCount>> verdictCounts = new ConcurrentHashMap<>();

    private record VerdictCount(Counter counter, AtomicLongArray perMinute) {
    }

    /** A refusal as the console shows it and finds it (by session id, client, sender or recipient). */
    public record Rejection(Instant at, String session, String client, String sender, String recipient, String filter,
                            String reply) {
    }

    public GatewayStats(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gateway.sessions", sessions);
        registry.more().counter("gateway.messages.delivered", List.of(), delivered);
    }

    public void sessionOpened() {
        sessions.incrementAndGet();
    }

    public void sessionClosed() {
        sessions.decrementAndGet();
    }

    public int sessionsNow() {
        return sessions.get();
    }

    public void messageDelivered() {
        delivered.incrementAndGet();
    }

    public long delivered() {
        return delivered.get();
    }

    /** Counts one verdict of one filter (Prometheus gateway_verdicts_total{filter,verdict}). */
    public void verdict(String filter, String verdict) {
        // every filter of every stage counts here: looked up without building the key string
        VerdictCount count = verdictCounts.computeIfAbsent(filter, f -> new ConcurrentHashMap<>()).get(verdict);
        if (count == null) {
            String key = filter + "/" + verdict;
            count = new VerdictCount(counters.computeIfAbsent(key, k -> Counter.builder("gateway.verdicts")
                    .tag("filter", filter).tag("verdict", verdict).register(registry)), series(key));
            verdictCounts.get(filter).putIfAbsent(verdict, count);
        }
        count.counter().increment();
        count(count.perMinute());
    }

    /**
     * Counts a client found listed in one DNS list (Prometheus gateway_dnsbl_hits_total{zone}; on
     * the console as "dnsbl-hit/zone"), whatever the score then decided.
     */
    public void dnsblHit(String zone) {
        String key = "dnsbl-hit/" + zone;
        counters.computeIfAbsent(key, k -> Counter.builder("gateway.dnsbl.hits")
                .tag("zone", zone).register(registry)).increment();
        perMinute(key);
    }

    /** Totals since start: "filter/verdict" and "dnsbl-hit/zone" → count. */
    public Map<String, Long> totals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counters.forEach((k, c) -> out.put(k, (long) c.count()));
        return out;
    }

    private void perMinute(String key) {
        count(series(key));
    }

    private AtomicLongArray series(String key) {
        return perMinute.computeIfAbsent(key, k -> new AtomicLongArray(MINUTES));
    }

    /** Counts one in this minute's slot of a series. */
    private void count(AtomicLongArray series) {
        long minute = System.currentTimeMillis() / 60_000;
        int slot = (int) (minute % MINUTES);
        long seen = slotMinute.get(slot);
        if (seen != minute && slotMinute.compareAndSet(slot, seen, minute)) {
            // a new minute reuses this slot: forget what it held an hour ago
            perMinute.values().forEach(a -> a.set(slot, 0));
        }
        series.incrementAndGet(slot);
    }

    public void rejection(String session, String client, String sender, String recipient, String filter, String reply) {
        synchronized (recent) {
            recent.addFirst(new Rejection(Instant.now(), session, client, sender, recipient, filter, reply));
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
    }

    /**
     * Recent refusals whose session id, client, sender or recipient contains {@code q}
     * (case-insensitive): a postmaster quoting a refusal's session id finds it at once.
     */
    public List<Rejection> findRejections(String q) {
        String needle = q == null ? "" : q.trim().toLowerCase(java.util.Locale.ROOT);
        List<Rejection> out = new ArrayList<>();
        for (Rejection r : recentRejections()) {
            if (needle.isEmpty() || matches(r.session(), needle) || matches(r.client(), needle)
                    || matches(r.sender(), needle) || matches(r.recipient(), needle)) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean matches(String field, String needle) {
        return field != null && field.toLowerCase(java.util.Locale.ROOT).contains(needle);
    }

    public List<Rejection> recentRejections() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** "filter/verdict" → counts of the last 60 minutes, oldest first. */
    public Map<String, long[]> verdictsPerMinute() {
        long now = System.currentTimeMillis() / 60_000;
        Map<String, long[]> out = new LinkedHashMap<>();
        perMinute.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            long[] series = new long[MINUTES];
            for (int i = 0; i < MINUTES; i++) {
                long minute = now - (MINUTES - 1) + i;
                int slot = (int) (minute % MINUTES);
                series[i] = slotMinute.get(slot) == minute ? e.getValue().get(slot) : 0;
            }
            out.put(e.getKey(), series);
        });
        return out;
    }
}
