package net.trustbl.dns.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The addresses with the most lookups, busiest first. The built-in responder's reporter and the
 * standalone uploader both send only these each interval, so that a scan of many addresses cannot
 * flood the journal.
 */
public final class Busiest {

    /** Addresses sent per interval at most (the service accepts as many per request). */
    public static final int MAX_ADDRESSES = 5_000;

    private Busiest() {
    }

    /** At most {@code max} entries of {@code counts}, the highest counts first. */
    public static List<Map.Entry<String, Long>> of(Map<String, Long> counts, int max) {
        List<Map.Entry<String, Long>> all = new ArrayList<>(counts.entrySet());
        all.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        return all.subList(0, Math.min(max, all.size()));
    }
}
