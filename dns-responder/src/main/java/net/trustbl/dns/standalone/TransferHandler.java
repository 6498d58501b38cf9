package net.trustbl.dns.standalone;

import java.util.ArrayList;
import java.util.List;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Serial;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Takes a zone transfer record by record: an AXFR goes straight into an {@link IndexBuilder} (a
 * million-listing zone is never held as dnsjava records, about 300 bytes each), an IXFR is kept
 * as its (small) steps. Nothing reaches the served data until {@link #applyTo} after the whole
 * transfer arrived: a broken transfer changes nothing.
 * <p>
 * The primary is trusted only so far. A transfer of more than {@code maxRecords} records is
 * stopped (it would take the heap, and the process with it). Once data is loaded, a full transfer
 * must move the serial forward (RFC 1982): one that goes back is stopped, one of the serial we
 * hold is stopped too but means we are current (a primary without IXFR answers every refresh
 * with the whole zone). IXFR needs no such check: dnsjava treats an answer whose serial is not
 * newer than ours as "up to date".
 */
final class TransferHandler implements ZoneTransferIn.ZoneTransferHandler {

    /** Stops a full transfer whose serial is not newer than the loaded one. */
    static final class NotNewer extends ZoneTransferException {
        private final boolean sameSerial;

        NotNewer(long serial, long loaded) {
            super(serial == loaded ? "the primary's serial " + serial + " is the one loaded"
                    : "the primary's serial " + serial + " is not newer than the loaded " + loaded
                            + ": transfer refused, the loaded data stays (restart the replica to take the primary's data anyway)");
            this.sameSerial = serial == loaded;
        }

        boolean sameSerial() {
            return sameSerial;
        }
    }

    private record Step(long serial, List<ListingRecord> changes) {
    }

    private final ZoneRecords records;
    /** The serial of the data served, or -1 when nothing is loaded yet (any serial will do). */
    private final long loadedSerial;
    private final long maxRecords;
    private long received;
    private SOARecord lastSoa;
    private boolean sameSerial;
    /** Set for the whole of a full transfer ({@link #full} is let go once applied). */
    private boolean fullTransfer;
    private IndexBuilder full;
    private long fullSerial = -1;
    private List<Step> steps;
    private List<ListingRecord> stepChanges;
    private boolean adding;

    TransferHandler(ZoneRecords records, long loadedSerial, long maxRecords) {
        this.records = records;
        this.loadedSerial = loadedSerial < 0 ? -1 : loadedSerial & 0xffffffffL;
        this.maxRecords = maxRecords;
    }

    @Override
    public void startAXFR() {
        full = new IndexBuilder();
        fullTransfer = true;
    }

    @Override
    public void startIXFR() {
        steps = new ArrayList<>();
    }

    @Override
    public void startIXFRDeletes(Record soa) throws ZoneTransferException {
        count();
        stepChanges = new ArrayList<>();
        adding = false;
    }

    @Override
    public void startIXFRAdds(Record soa) throws ZoneTransferException {
        count();
        steps.add(new Step(((SOARecord) soa).getSerial(), stepChanges));
        lastSoa = (SOARecord) soa;
        adding = true;
    }

    @Override
    public void handleRecord(Record r) throws ZoneTransferException {
        count();
        if (r instanceof SOARecord soa) {
            lastSoa = soa;
            if (full != null && fullSerial < 0) {
                checkNewer(soa.getSerial());
            }
            fullSerial = soa.getSerial();
            return;
        }
        if (!(r instanceof ARecord a)) {
            return; // TXT follows from the template; A carries the listing
        }
        Ip.Block block = records.blockOf(r.getName());
        int code = code(a);
        if (block == null) {
            return;
        }
        if (full != null) {
            if (code > 0) {
                full.add(block, code, 1f);
            }
        } else if (stepChanges != null) {
            stepChanges.add(new ListingRecord(block.toString(), adding ? code : 0, 1f));
        }
    }

    private void count() throws ZoneTransferException {
        if (++received > maxRecords) {
            throw new ZoneTransferException("more than " + maxRecords + " records (max-transfer-records): transfer refused, "
                    + "nothing of it is loaded");
        }
    }

    /** The first SOA of a full transfer: stop at once rather than after the whole zone. */
    private void checkNewer(long serial) throws NotNewer {
        if (loadedSerial >= 0 && Serial.compare(serial, loadedSerial) <= 0) {
            sameSerial = serial == loadedSerial;
            throw new NotNewer(serial, loadedSerial);
        }
    }

    /** Nothing new: the primary's serial is ours (no transfer began, or a full one of our serial was stopped). */
    boolean current() {
        return sameSerial || (!fullTransfer && steps == null);
    }

    /** A full transfer was loaded (true after {@link #applyTo} too, which lets the builder go). */
    boolean wasFull() {
        return fullTransfer && !sameSerial;
    }

    /** The primary's SOA as the transfer left it (its timers apply from now on), or null when none came. */
    SOARecord soa() {
        return lastSoa;
    }

    /** Moves {@code data} to what the transfer said. */
    void applyTo(ZoneData data) {
        if (sameSerial) {
            return;
        }
        if (full != null) {
            data.replaceAll(fullSerial < 0 ? data.serial() : fullSerial, full.build());
            full = null; // the builder's arrays can go
        } else if (steps != null) {
            for (Step s : steps) {
                data.apply(s.serial(), s.changes());
            }
        }
    }

    private static int code(ARecord a) {
        byte[] b = a.getAddress().getAddress();
        return b[0] == 127 ? b[3] & 255 : 0;
    }
}
