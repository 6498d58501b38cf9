package net.trustbl.responder;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.listing.ListingFeed;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hands listing changes to the DNS zone in batches. Each zone update copies part of the
 * read-optimised index, so applying every journal batch on its own would cost a copy per few
 * reports under load; collecting changes for {@link #INTERVAL_MILLIS} keeps that bounded while a
 * decision still reaches DNS answers well within a second. Snapshots are applied at once.
 * A batch that cannot be applied is kept: the next flush first rebuilds the zone from a full
 * feed snapshot (when a snapshot source is set; changes newer than the snapshot stay pending) and
 * then applies what is left, so a failure never silently loses listing changes.
 */
final class ZoneBatcher implements ListingFeed.Listener {

    private static final Logger LOG = Logger.getLogger(ZoneBatcher.class);
    static final long INTERVAL_MILLIS = 100;

    /** How the batched changes reach the zone (tests inject failures). */
    interface Applier {
        void apply(long serial, List<ListingRecord> records);
    }

    /** One feed batch: its serial and records. */
    private record Batch(long serial, List<ListingRecord> records) { }

    private final ZoneData zone;
    private final Applier applier;
    private volatile Supplier<ListingFeed.Snapshot> snapshots;
    private final List<Batch> pending = new ArrayList<>();
    private int failures;
    private volatile SerialFloor serials;
    private ScheduledExecutorService timer;

    ZoneBatcher(ZoneData zone) {
        this(zone, zone::apply, null);
    }

    ZoneBatcher(ZoneData zone, Applier applier, Supplier<ListingFeed.Snapshot> snapshots) {
        this.zone = zone;
        this.applier = applier;
        this.snapshots = snapshots;
    }

    /** Maps feed serials to zone serials that never go back across restarts (null: the feed serial as it is). */
    void serialsFrom(SerialFloor floor) {
        this.serials = floor;
    }

    private long snapshotSerial(long feedSerial) {
        SerialFloor f = serials;
        return f == null ? feedSerial : f.forSnapshot(feedSerial);
    }

    private long changeSerial(long feedSerial) {
        SerialFloor f = serials;
        return f == null ? feedSerial : f.forChange(feedSerial);
    }

    /** Where a full snapshot comes from when a batch cannot be applied twice in a row. */
    void snapshotsFrom(Supplier<ListingFeed.Snapshot> snapshots) {
        this.snapshots = snapshots;
    }

    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dns-zone-batcher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::flush, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    @Override
    public synchronized void onSnapshot(ListingFeed.Snapshot snapshot) {
        pending.clear();
        failures = 0;
        zone.replaceAll(snapshotSerial(snapshot.serial()), records(snapshot.listings()));
    }

    @Override
    public synchronized void onChanges(long serial, List<ListingFeed.Entry> changes) {
        pending.add(new Batch(serial, records(changes)));
    }

    /** Changes waiting for the next flush (batches), for tests and diagnostics. */
    synchronized int pendingBatches() {
        return pending.size();
    }

    void flush() {
        Supplier<ListingFeed.Snapshot> source = snapshots;
        boolean resync;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            resync = failures > 0 && source != null;
        }
        if (resync) {
            // taken outside our lock: the feed calls onChanges holding its own lock
            ListingFeed.Snapshot snap;
            try {
                snap = source.get();
            } catch (RuntimeException e) {
                LOG.error("could not take a listing snapshot to rebuild the DNS zone", e);
                return;
            }
            synchronized (this) {
                try {
                    zone.replaceAll(snapshotSerial(snap.serial()), records(snap.listings()));
                    pending.removeIf(b -> b.serial() <= snap.serial());
                    failures = 0;
                    LOG.warnf("DNS zone rebuilt from the listing snapshot at serial %d", snap.serial());
                } catch (RuntimeException e) {
                    failures++;
                    LOG.error("could not rebuild the DNS zone from a snapshot; will retry", e);
                    return;
                }
            }
        }
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            List<ListingRecord> all = new ArrayList<>();
            for (Batch b : pending) {
                all.addAll(b.records());
            }
            long serial = changeSerial(pending.get(pending.size() - 1).serial());
            try {
                applier.apply(serial, all);
                pending.clear();
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                LOG.errorf(e, "could not apply %d listing changes to the DNS zone (attempt %d); kept for the next flush",
                        all.size(), failures);
            }
        }
    }

    static List<ListingRecord> records(List<ListingFeed.Entry> entries) {
        List<ListingRecord> out = new ArrayList<>(entries.size());
        for (ListingFeed.Entry e : entries) {
            out.add(e.returnCode() == 0 ? ListingRecord.removal(e.ip().toString())
                    : new ListingRecord(e.ip().toString(), e.returnCode(), (float) e.score()));
        }
        return out;
    }
}
