package net.trustbl.dns.index;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The served data: copy-on-write snapshots published through a volatile field, so the query path
 * reads one reference and never blocks; writers are serialized. Keeps a bounded history of deltas
 * for IXFR (RFC 1995).
 */
public final class ZoneData {

    /** History bounds: steps and total records kept for IXFR; older clients get a full transfer. */
    private final int maxHistorySteps;
    private final int maxHistoryRecords;

    private volatile ZoneSnapshot current;
    private final ArrayDeque<ZoneDelta> history = new ArrayDeque<>();
    private int historyRecords;
    private final Map<String, CompiledView> views = new HashMap<>();
    private final List<Consumer<ZoneSnapshot>> serialListeners = new CopyOnWriteArrayList<>();

    /**
     * A replaceAll whose difference is larger than this share of the zone (or than
     * {@link #SMALL_CHANGE_RECORDS}, whichever is more) is not kept as an IXFR step: a secondary
     * that far behind is better served by AXFR, and the step would hold ~100 bytes per record.
     */
    static final int SMALL_CHANGE_PERCENT = 10;
    static final int SMALL_CHANGE_RECORDS = 1_000;

    public ZoneData() {
        this(256, 100_000);
    }

    public ZoneData(int maxHistorySteps, int maxHistoryRecords) {
        this.maxHistorySteps = maxHistorySteps;
        this.maxHistoryRecords = maxHistoryRecords;
        this.current = new ZoneSnapshot(0, ZoneIndex.EMPTY, Map.of());
    }

    /** The snapshot to answer from; never null. */
    public ZoneSnapshot snapshot() {
        return current;
    }

    public long serial() {
        return current.serial();
    }

    /** Called (on the writer's thread) after every serial change, e.g. to send NOTIFY. */
    public void addSerialListener(Consumer<ZoneSnapshot> listener) {
        serialListeners.add(listener);
    }

    public void removeSerialListener(Consumer<ZoneSnapshot> listener) {
        serialListeners.remove(listener);
    }

    /** Replaces all listings (records with returnCode 0 are ignored); see {@link #replaceAll(long, ZoneIndex)}. */
    public void replaceAll(long serial, Collection<ListingRecord> records) {
        IndexBuilder b = new IndexBuilder();
        for (ListingRecord r : records) {
            if (r.returnCode() != 0) {
                b.add(r);
            }
        }
        replaceAll(serial, b.build());
    }

    /**
     * Replaces all listings with a prebuilt index (see {@link IndexBuilder}). The difference to the
     * current data is computed and kept as one IXFR step when it fits the history bounds; otherwise
     * the history is cleared (secondaries then fall back to AXFR).
     */
    public void replaceAll(long serial, ZoneIndex index) {
        ZoneSnapshot s;
        synchronized (this) {
            ZoneSnapshot before = current;
            // the first load is never a step: no secondary can hold the empty zone we start from,
            // and keeping it would retain every listing a second time as text
            boolean initial = before.serial() == 0 && before.index().size() == 0;
            int limit = (int) Math.min(maxHistoryRecords, Math.max(SMALL_CHANGE_RECORDS,
                    (long) Math.max(before.index().size(), index.size()) * SMALL_CHANGE_PERCENT / 100));
            ZoneDelta diff = initial || (int) before.serial() == (int) serial ? null
                    : diff(before.serial(), serial, before.index(), index, limit);
            if (diff == null) {
                history.clear();
                historyRecords = 0;
            } else {
                remember(diff);
            }
            s = new ZoneSnapshot(serial, index, before.viewsMap());
            current = s;
        }
        fire(s);
    }

    /** The change from one index to another, or null when it is larger than the history may hold. */
    private ZoneDelta diff(long fromSerial, long toSerial, ZoneIndex from, ZoneIndex to, int limit) {
        List<ListingRecord> removed = new ArrayList<>();
        List<ListingRecord> added = new ArrayList<>();
        if (Math.abs((long) to.size() - from.size()) > limit) {
            return null;
        }
        boolean[] tooBig = {false};
        to.forEach((v6, hi, lo, prefix, code, score) -> {
            if (tooBig[0]) {
                return;
            }
            long old = from.exact(v6, hi, lo, prefix);
            int stored = code < 0 ? 0 : code;
            if (old != ZoneIndex.NONE && ZoneIndex.code(old) == stored && Float.compare(ZoneIndex.score(old), score) == 0) {
                return;
            }
            String cidr = new Ip.Block(v6, hi, lo, prefix).toString();
            if (old != ZoneIndex.NONE) {
                int oc = ZoneIndex.code(old);
                removed.add(new ListingRecord(cidr, oc == 0 ? -1 : oc, ZoneIndex.score(old)));
            }
            added.add(new ListingRecord(cidr, code, score));
            tooBig[0] = removed.size() + added.size() > limit;
        });
        if (tooBig[0]) {
            return null;
        }
        from.forEach((v6, hi, lo, prefix, code, score) -> {
            if (tooBig[0]) {
                return;
            }
            if (to.exact(v6, hi, lo, prefix) == ZoneIndex.NONE) {
                removed.add(new ListingRecord(new Ip.Block(v6, hi, lo, prefix).toString(), code, score));
                tooBig[0] = removed.size() + added.size() > limit;
            }
        });
        if (tooBig[0]) {
            return null;
        }
        return new ZoneDelta(fromSerial, toSerial, List.copyOf(removed), List.copyOf(added));
    }

    /**
     * Applies deltas (returnCode 0 removes, otherwise adds or changes) and moves to {@code serial},
     * which should grow with every call (RFC 1982 arithmetic on the low 32 bits). Records that change
     * nothing are ignored; the serial moves all the same.
     *
     * @throws IllegalArgumentException for a malformed cidr (nothing of the call is applied)
     */
    public void apply(long serial, Collection<ListingRecord> deltas) {
        IndexBuilder b = new IndexBuilder();
        for (ListingRecord r : deltas) {
            b.add(r);
        }
        ZoneSnapshot s;
        synchronized (this) {
            ZoneSnapshot before = current;
            List<ListingRecord> removed = new ArrayList<>();
            List<ListingRecord> added = new ArrayList<>();
            ZoneIndex merged = b.mergeOver(before.index(), (v6, hi, lo, prefix, oldCode, oldScore, newCode, newScore) -> {
                if (oldCode == newCode && (oldCode == -2 || Float.compare(oldScore, newScore) == 0)) {
                    return;
                }
                if (oldCode == -2 && newCode == 0) {
                    return;
                }
                String cidr = new Ip.Block(v6, hi, lo, prefix).toString();
                if (oldCode != -2) {
                    removed.add(new ListingRecord(cidr, oldCode, oldScore));
                }
                if (newCode != 0) {
                    added.add(new ListingRecord(cidr, newCode, newScore));
                }
            });
            s = new ZoneSnapshot(serial, merged, before.viewsMap());
            current = s;
            if ((int) before.serial() == (int) serial) {
                // the serial must move for secondaries to notice; without it no IXFR step can be named
                history.clear();
                historyRecords = 0;
            } else {
                remember(new ZoneDelta(before.serial(), serial, List.copyOf(removed), List.copyOf(added)));
            }
        }
        fire(s);
    }

    private void remember(ZoneDelta d) {
        if (d.weight() > maxHistoryRecords) {
            // a step larger than the whole bound could never be served: AXFR for everyone behind
            history.clear();
            historyRecords = 0;
            return;
        }
        history.addLast(d);
        historyRecords += d.weight();
        while (!history.isEmpty() && (history.size() > maxHistorySteps || historyRecords > maxHistoryRecords)) {
            historyRecords -= history.removeFirst().weight();
        }
    }

    /**
     * The chain of deltas leading from {@code fromSerial} to the current serial, or null when the
     * history does not reach back that far. Serials compare on their low 32 bits (the SOA's).
     */
    public synchronized List<ZoneDelta> deltasSince(long fromSerial) {
        int want = (int) fromSerial;
        List<ZoneDelta> chain = new ArrayList<>();
        boolean found = false;
        for (Iterator<ZoneDelta> it = history.iterator(); it.hasNext(); ) {
            ZoneDelta d = it.next();
            if (!found && (int) d.fromSerial() == want) {
                found = true;
            }
            if (found) {
                chain.add(d);
            }
        }
        return found ? chain : null;
    }

    /** Records (removed + added listings) held in the IXFR history. */
    public synchronized int historyRecords() {
        return historyRecords;
    }

    /** The largest IXFR step held, in records. */
    public synchronized int largestHistoryStep() {
        int m = 0;
        for (ZoneDelta d : history) {
            m = Math.max(m, d.weight());
        }
        return m;
    }

    public void putMemberView(MemberView view) {
        CompiledView compiled = new CompiledView(view);
        synchronized (this) {
            views.put(view.queryKey().toLowerCase(Locale.ROOT), compiled);
            current = current.withViews(Map.copyOf(views));
        }
    }

    public void removeMemberView(String key) {
        synchronized (this) {
            views.remove(key.toLowerCase(Locale.ROOT));
            current = current.withViews(Map.copyOf(views));
        }
    }

    private void fire(ZoneSnapshot s) {
        for (Consumer<ZoneSnapshot> l : serialListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                // a listener (e.g. NOTIFY) must never break the feed
            }
        }
    }
}
