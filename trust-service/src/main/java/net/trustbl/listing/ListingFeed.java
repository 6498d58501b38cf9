package net.trustbl.listing;

import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.engine.Decision.Change;
import net.trustbl.engine.Decision.ListingChanged;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Listing;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ordered feed of listing changes: every change gets the next serial; a snapshot gives the
 * complete listing set at a serial. Consumers (the DNS index) take a snapshot once and then
 * follow the changes, so no DNS query ever touches the database.
 */
@ApplicationScoped
public class ListingFeed {

    /** One listing as the feed carries it; returnCode 0 means "removed", -1 an exclusion from a listed block. */
    public record Entry(long serial, IpBlock ip, Change change, int returnCode, double score, long atMillis) { }

    public record Snapshot(long serial, List<Entry> listings) { }

    /** Called in serial order, on the journal's thread: must be quick and must not block. */
    public interface Listener {
        /** The complete set replaces whatever the listener had. */
        void onSnapshot(Snapshot snapshot);

        void onChanges(long serial, List<Entry> changes);
    }

    private final TreeMap<IpBlock, Entry> current = new TreeMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private long serial;

    /** Starts the feed over (after the engine was rebuilt) at a serial that never goes back. */
    public synchronized void reset(long lastSerial, List<Listing> listings, long nowMillis) {
        serial = Math.max(serial, lastSerial) + 1;
        current.clear();
        for (Listing l : listings) {
            current.put(l.ip(), new Entry(serial, l.ip(), Change.CREATED, l.returnCode(), l.explanation().score(), nowMillis));
        }
        Snapshot s = snapshotLocked();
        for (Listener listener : listeners) {
            listener.onSnapshot(s);
        }
    }

    /**
     * A promoted standby's feed: it already serves every listing of the engine it followed, so
     * nothing is rebuilt (nor the DNS zone behind it); only its serials continue after the old
     * writer's last one.
     */
    public synchronized void continueAfter(long lastSerial) {
        serial = Math.max(serial, lastSerial);
    }

    /** Assigns serials to the engine's listing decisions, applies them and tells the listeners. */
    public synchronized List<Entry> publish(List<ListingChanged> changes) {
        List<Entry> entries = prepare(changes);
        apply(entries);
        return entries;
    }

    /**
     * The entries {@code changes} will have once their transaction commits (the journal writer's
     * thread only): the listing history is written with these serials in the same transaction,
     * and nothing is served until {@link #apply}.
     */
    public synchronized List<Entry> prepare(List<ListingChanged> changes) {
        List<Entry> entries = new ArrayList<>(changes.size());
        long next = serial;
        for (ListingChanged c : changes) {
            entries.add(new Entry(++next, c.ip(), c.change(), c.returnCode(), c.explanation().score(), c.atMillis()));
        }
        return entries;
    }

    /** Serves entries {@link #prepare} made, once committed, and tells the listeners. */
    public synchronized void apply(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        for (Entry e : entries) {
            if (e.change().leavesZone()) {
                current.remove(e.ip());
            } else {
                current.put(e.ip(), e);
            }
        }
        serial = Math.max(serial, entries.get(entries.size() - 1).serial());
        for (Listener listener : listeners) {
            listener.onChanges(serial, entries);
        }
    }

    public synchronized long serial() {
        return serial;
    }

    public synchronized Snapshot snapshot() {
        return snapshotLocked();
    }

    private Snapshot snapshotLocked() {
        return new Snapshot(serial, List.copyOf(current.values()));
    }

    /**
     * Registers a listener and hands it the current snapshot first (atomically, so it misses
     * nothing between snapshot and changes).
     */
    public synchronized void follow(Listener listener) {
        listener.onSnapshot(snapshotLocked());
        listeners.add(listener);
    }
}
