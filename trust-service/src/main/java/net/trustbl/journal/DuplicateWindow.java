package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;
import net.trustbl.journal.JournalEntry.NewReport;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Last counted report per (member, ip, verdict): a repeat within
 * {@code trustbl.reports.duplicate-window} counts once. A commit attempt counts into a
 * {@link Tentative} view and only a committed attempt lands in the window, so a batch whose
 * commit fails never leaves duplicates pointing at reports that were not stored.
 */
@ApplicationScoped
public class DuplicateWindow {

    /** Pruning walks the whole map: only worth it once the map is this big. */
    private static final int PRUNE_ABOVE = 100_000;

    private record Key(long memberId, IpBlock ip, Verdict verdict) {
        static Key of(NewReport r) {
            return new Key(r.memberId(), r.ip(), r.verdict());
        }
    }

    /** A counted report: its id and when it was filed. */
    private record Counted(long reportId, long atMillis) { }

    @Inject
    TrustBlConfig config;

    private final Map<Key, Counted> recent = new HashMap<>();

    private long windowMillis() {
        return config.reports().duplicateWindow().toMillis();
    }

    /** Forgets everything (before the window is loaded again from the stored reports). */
    void clear() {
        recent.clear();
    }

    /** A stored, counted report (loading the window from the database). */
    void remember(long memberId, IpBlock ip, Verdict verdict, long reportId, long atMillis) {
        recent.put(new Key(memberId, ip, verdict), new Counted(reportId, atMillis));
    }

    /** Counting for one commit attempt: sees the window and what the attempt counted itself. */
    Tentative tentative() {
        return new Tentative();
    }

    final class Tentative {

        private final Map<Key, Counted> counted = new HashMap<>();

        /** The id of the report {@code r} repeats within the window, or null when it counts. */
        Long duplicateOf(NewReport r, long now) {
            Key key = Key.of(r);
            Counted prior = counted.get(key);
            if (prior == null) {
                prior = recent.get(key);
            }
            return prior != null && now - prior.atMillis() < windowMillis() ? prior.reportId() : null;
        }

        void count(NewReport r, long reportId, long now) {
            counted.put(Key.of(r), new Counted(reportId, now));
        }

        /** The attempt committed: what it counted is in the window now. */
        void commit(long now) {
            recent.putAll(counted);
            prune(now);
        }
    }

    private void prune(long now) {
        if (recent.size() < PRUNE_ABOVE) {
            return;
        }
        long window = windowMillis();
        Iterator<Counted> it = recent.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().atMillis() >= window) {
                it.remove();
            }
        }
    }
}
