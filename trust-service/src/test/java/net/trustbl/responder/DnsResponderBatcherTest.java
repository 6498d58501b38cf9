package net.trustbl.responder;

import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.engine.Decision.Change;
import net.trustbl.address.IpBlock;
import net.trustbl.listing.ListingFeed;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ZoneBatcher keeps changes it could not apply (plain unit test, no Quarkus). */
class DnsResponderBatcherTest {

    private static ListingFeed.Entry entry(long serial, String ip, int code) {
        return new ListingFeed.Entry(serial, IpBlock.parse(ip), code == 0 ? Change.REMOVED : Change.CREATED, code, 1.0, 0L);
    }

    private static int code(ZoneData z, String ip) {
        return z.snapshot().codeV4((int) Ip.parseV4(ip), null);
    }

    @Test
    void aFailedFlushKeepsTheChangesAndTheNextFlushAppliesThem() {
        ZoneData zone = new ZoneData();
        AtomicInteger failNext = new AtomicInteger(1);
        ZoneBatcher b = new ZoneBatcher(zone, (serial, records) -> {
            if (failNext.getAndDecrement() > 0) {
                throw new IllegalStateException("injected");
            }
            zone.apply(serial, records);
        }, null);
        b.onSnapshot(new ListingFeed.Snapshot(5, List.of(entry(5, "192.0.2.1", 2))));
        b.onChanges(6, List.of(entry(6, "192.0.2.2", 3)));
        b.flush(); // fails
        assertEquals(0, code(zone, "192.0.2.2"));
        assertEquals(1, b.pendingBatches(), "the failed batch must be kept");
        b.onChanges(7, List.of(entry(7, "192.0.2.3", 4)));
        b.flush();
        assertEquals(3, code(zone, "192.0.2.2"));
        assertEquals(4, code(zone, "192.0.2.3"));
        assertEquals(7, zone.serial());
        assertEquals(0, b.pendingBatches());
    }

    @Test
    void aFailureLeadsToARebuildFromTheFullSnapshot() {
        ZoneData zone = new ZoneData();
        // the applier never works (e.g. a poisoned batch): the snapshot carries the state instead
        ZoneBatcher b = new ZoneBatcher(zone, (serial, records) -> {
            throw new IllegalStateException("injected");
        }, () -> new ListingFeed.Snapshot(8, List.of(entry(7, "192.0.2.2", 3), entry(8, "198.51.100.0/24", 5))));
        b.onSnapshot(new ListingFeed.Snapshot(5, List.of(entry(5, "192.0.2.1", 2))));
        b.onChanges(7, List.of(entry(7, "192.0.2.2", 3), entry(7, "192.0.2.1", 0)));
        b.onChanges(8, List.of(entry(8, "198.51.100.0/24", 5)));
        b.flush(); // fails, keeps
        assertEquals(2, b.pendingBatches());
        b.flush(); // rebuilds from the snapshot at 8: both batches covered
        assertEquals(0, b.pendingBatches());
        assertEquals(8, zone.serial());
        assertEquals(0, code(zone, "192.0.2.1"));
        assertEquals(3, code(zone, "192.0.2.2"));
        assertEquals(5, code(zone, "198.51.100.9"));
    }

    @Test
    void recordsMapRemovalsAndListings() {
        List<ListingRecord> r = ZoneBatcher.records(List.of(entry(1, "192.0.2.1", 0), entry(1, "192.0.2.2", 2)));
        assertEquals(0, r.get(0).returnCode());
        assertEquals(2, r.get(1).returnCode());
    }
}
