package net.trustbl.stats;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.quarkus.narayana.jta.QuarkusTransaction;
import net.trustbl.trust.TrustEngineHost;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Public statistics: listings and reports per day over the last 30 days (the page draws the
 * charts). The page is public and its queries read the largest tables, so the figures are computed
 * at most once a minute (the queries use the indexes of V32__stats_indexes.sql).
 */
@ApplicationScoped
public class StatsService {

    static final int DAYS = 30;

    /** One UTC day's figure. */
    public record DayCount(LocalDate day, long count) { }

    /**
     * The figures; each series has one entry per UTC day of the last 30, oldest first. {@code active}
     * is the listed addresses at the end of each day, its last entry (today so far) {@code listedNow}.
     */
    public record Stats(int listedNow, long members, long reports30d, long lookups24h, long openModeration,
                        List<DayCount> reports, List<DayCount> listings, List<DayCount> active) { }

    @Inject
    StatsStore store;

    @Inject
    TrustEngineHost engine;

    /** How long computed figures are served before they are computed again. */
    static final long CACHE_MILLIS = 60_000;

    private record Computed(Stats stats, long atMillis) { }

    private volatile Computed cached;

    /** The figures, at most {@link #CACHE_MILLIS} old; one caller computes while the others wait for it. */
    public Stats stats() {
        Computed c = cached;
        if (c != null && System.currentTimeMillis() - c.atMillis() < CACHE_MILLIS) {
            return c.stats();
        }
        synchronized (this) {
            c = cached;
            if (c == null || System.currentTimeMillis() - c.atMillis() >= CACHE_MILLIS) {
                c = new Computed(QuarkusTransaction.joiningExisting().call(this::compute), System.currentTimeMillis());
                cached = c;
            }
            return c.stats();
        }
    }

    /** Forgets the cached figures (tests that change the history underneath). */
    public void invalidate() {
        cached = null;
    }

    private Stats compute() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAYS - 1);
        Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<LocalDate, Long> reports = store.reportsPerDay(from);
        Map<LocalDate, Long> created = store.listingsCreatedPerDay(from);
        // active listings at the end of each day: all creations minus all removals up to that day
        long before = store.netListingsBefore(from);
        Map<LocalDate, Long> net = store.netListingsPerDay(from);
        List<DayCount> r = new ArrayList<>();
        List<DayCount> c = new ArrayList<>();
        List<DayCount> a = new ArrayList<>();
        long active = before;
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            r.add(new DayCount(d, reports.getOrDefault(d, 0L)));
            c.add(new DayCount(d, created.getOrDefault(d, 0L)));
            active += net.getOrDefault(d, 0L);
            a.add(new DayCount(d, Math.max(0, active)));
        }
        // the history is rebuilt from listing changes (which may be pruned or lag the engine): the
        // last point is today so far, and that is what is listed now, the number the page states
        int listedNow = engine.listings().size();
        if (!a.isEmpty()) {
            a.set(a.size() - 1, new DayCount(today, listedNow));
        }
        long members = store.activeMembers();
        long lookups = store.lookupsLast24h();
        long open = store.openModerationItems();
        long total = r.stream().mapToLong(DayCount::count).sum();
        return new Stats(listedNow, members, total, lookups, open, List.copyOf(r), List.copyOf(c), List.copyOf(a));
    }
}
