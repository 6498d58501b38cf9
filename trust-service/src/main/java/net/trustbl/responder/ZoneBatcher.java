package net.trustbl.responder;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.listing.ListingFeed;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hands listing changes to the DNS zone in batches. Each zone update copies part of the
 * read-optimised index, so applying every journal batch on its own would cost a copy per few
 * reports under load; collecting changes for {@link #INTERVAL_MILLIS} keeps that bounded while a
 * decision still reaches DNS answers well within a second. Snapshots are applied at once.
 */
final class ZoneBatcher implements ListingFeed.Listener {

    private static final Logger LOG = Logger.getLogger(ZoneBatcher.class);
    static final long INTERVAL_MILLIS = 100;

    private final ZoneData zone;
    private final List<ListingRecord> pending = new ArrayList<>();
    private long pendingSerial = -1;
    private ScheduledExecutorService timer;

    ZoneBatcher(ZoneData zone) {
        this.zone = zone;
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
        pendingSerial = -1;
        zone.replaceAll(snapshot.serial(), records(snapshot.listings()));
    }

    @Override
    public synchronized void onChanges(long serial, List<ListingFeed.Entry> changes) {
        pending.addAll(records(changes));
        pendingSerial = serial;
    }

    synchronized void flush() {
        if (pendingSerial < 0) {
            return;
        }
        try {
            zone.apply(pendingSerial, pending);
        } catch (RuntimeException e) {
            LOG.error("could not apply listing changes to the DNS zone", e);
        }
        pending.clear();
        pendingSerial = -1;
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
