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

    public ZoneData() {
        this(256, 500_000);
    }

    public ZoneData(int maxHistorySteps, int maxHistoryRecords) {
        this.maxHistorySteps = maxHistorySteps;
        this.maxHistoryRecords = maxHistoryRecords;
        this.current = new ZoneSnapshot(1, ZoneIndex.EMPTY, Map.of());
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

    /** Replaces all listings; clears the IXFR history (secondaries then fall back to AXFR). */
    public void replaceAll(long serial, Collection<ListingRecord> records) {
        IndexBuilder b = new IndexBuilder();
        for (ListingRecord r : records) {
            if (r.returnCode() != 0) {
                b.add(r);
            }
        }
        replaceAll(serial, b.build());
    }

    /** Replaces all listings with a prebuilt index (see {@link IndexBuilder}). */
    public void replaceAll(long serial, ZoneIndex index) {
        ZoneSnapshot s;
        synchronized (this) {
            history.clear();
            historyRecords = 0;
            s = new ZoneSnapshot(serial, index, current.viewsMap());
            current = s;
        }
        fire(s);
    }

    /**
     * Applies deltas (returnCode 0 removes, otherwise adds or changes) and moves to {@code serial}.
     * Records that change nothing are ignored; the serial moves all the same.
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
            remember(new ZoneDelta(before.serial(), serial, List.copyOf(removed), List.copyOf(added)));
        }
        fire(s);
    }

    private void remember(ZoneDelta d) {
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
