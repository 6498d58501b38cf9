package net.trustbl.dns.standalone;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Takes a zone transfer record by record: an AXFR goes straight into an {@link IndexBuilder} (a
 * million-listing zone is never held as dnsjava records, about 300 bytes each), an IXFR is kept
 * as its (small) steps. Nothing reaches the served data until {@link #applyTo} after the whole
 * transfer arrived: a broken transfer changes nothing.
 */
final class TransferHandler implements ZoneTransferIn.ZoneTransferHandler {

    private record Step(long serial, List<ListingRecord> changes) {
    }

    private final ZoneRecords records;
    private final Consumer<SOARecord> soaSeen;
    private IndexBuilder full;
    private long fullSerial = -1;
    private List<Step> steps;
    private List<ListingRecord> stepChanges;
    private boolean adding;

    TransferHandler(ZoneRecords records, Consumer<SOARecord> soaSeen) {
        this.records = records;
        this.soaSeen = soaSeen;
    }

    @Override
    public void startAXFR() {
        full = new IndexBuilder();
    }

    @Override
    public void startIXFR() {
        steps = new ArrayList<>();
    }

    @Override
    public void startIXFRDeletes(Record soa) {
        stepChanges = new ArrayList<>();
        adding = false;
    }

    @Override
    public void startIXFRAdds(Record soa) {
        steps.add(new Step(((SOARecord) soa).getSerial(), stepChanges));
        soaSeen.accept((SOARecord) soa);
        adding = true;
    }

    @Override
    public void handleRecord(Record r) {
        if (r instanceof SOARecord soa) {
            soaSeen.accept(soa);
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

    /** Nothing new: the primary's serial is ours (neither a full nor an incremental transfer began). */
    boolean current() {
        return full == null && steps == null;
    }

    boolean wasFull() {
        return full != null;
    }

    /** Moves {@code data} to what the transfer said. */
    void applyTo(ZoneData data) {
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
