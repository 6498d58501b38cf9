package net.trustbl.dns.index;

import java.util.List;

/**
 * One step of zone history for IXFR: going from {@code fromSerial} to {@code toSerial} removed
 * {@code removed} (with the values they had) and added {@code added} (a changed listing is in both).
 */
public record ZoneDelta(long fromSerial, long toSerial, List<ListingRecord> removed, List<ListingRecord> added) {

    public int weight() {
        return removed.size() + added.size();
    }
}
