package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Single addresses a moderator excluded from the block listing around them: an innocent server
 * inside a listed snowshoe /24 (or a reported block) is answered as not listed while the block
 * stays listed (rbldnsd's {@code !a.b.c.d}, the DNS index's return code -1).
 *
 * <p>An exclusion lasts as long as the reason for it: it ends when the block listing it was
 * granted against goes away (a later listing of the block is judged afresh), and when the address
 * becomes listed on its own evidence (then it is no longer innocent). Each start and end is a
 * listing decision ({@link Decision.Change#EXCLUDED}, {@link Decision.Change#EXCLUSION_ENDED}),
 * so the listing feed, the DNS zone and the listing history follow it like any listing.
 */
final class Exclusions {

    /** Excluded address to the block it was excluded from. */
    private final TreeMap<IpBlock, IpBlock> excludedFrom = new TreeMap<>();
    private final double threshold;

    Exclusions(double threshold) {
        this.threshold = threshold;
    }

    boolean isEmpty() {
        return excludedFrom.isEmpty();
    }

    /** The block {@code ip} is excluded from, or null. */
    IpBlock blockOf(IpBlock ip) {
        return excludedFrom.isEmpty() ? null : excludedFrom.get(ip);
    }

    /**
     * A moderator granted an exclusion request: an innocent single address inside a listed block
     * is excluded while the block stays listed. Nothing when the address is listed on its own
     * evidence or no block around it is listed (the block may have lapsed between the request
     * and the moderator's decision).
     */
    void requested(EngineEvent.AddressExcluded e, EvidenceBook book, long t, Consumer<Decision> out) {
        if (e.ip() == null || !e.ip().isSingleAddress() || !AddressRules.reportable(e.ip())) {
            return;
        }
        IpEvidence own = book.get(e.ip());
        IpEvidence container = book.listedContainer(e.ip());
        if ((own != null && own.listed()) || container == null) {
            return;
        }
        grant(e.ip(), container.ip, t, out);
    }

    /** Records the exclusion of {@code ip} from {@code block}'s listing; nothing when it already holds. */
    void grant(IpBlock ip, IpBlock block, long t, Consumer<Decision> out) {
        if (block.equals(excludedFrom.put(ip, block))) {
            return;
        }
        out.accept(new Decision.ListingChanged(ip, Decision.Change.EXCLUDED, -1, explanation(ip, block, null), t,
                reason(block)));
    }

    /**
     * Wraps a decision sink so that exclusions end with their reason: after the block's removal,
     * and before the address's own listing. One reused object: the engine wraps its sink per event.
     */
    Consumer<Decision> endingWith(Consumer<Decision> out) {
        ending.downstream = out;
        return ending;
    }

    private final Ending ending = new Ending();

    private final class Ending implements Consumer<Decision> {
        Consumer<Decision> downstream;

        @Override
        public void accept(Decision d) {
            Consumer<Decision> out = downstream;
            if (d instanceof Decision.ListingChanged lc && lc.change() == Decision.Change.CREATED
                    && excludedFrom.containsKey(lc.ip())) {
                end(lc.ip(), lc.atMillis(), "ended: the address is listed on its own evidence", out);
            }
            out.accept(d);
            if (d instanceof Decision.ListingChanged lc && lc.change() == Decision.Change.REMOVED) {
                for (IpBlock ip : inside(lc.ip())) {
                    end(ip, lc.atMillis(), "ended: the listing of " + lc.ip() + " was removed", out);
                }
            }
        }
    }

    private List<IpBlock> inside(IpBlock block) {
        List<IpBlock> out = new ArrayList<>();
        if (block.isSingleAddress()) {
            return out;
        }
        for (Map.Entry<IpBlock, IpBlock> e : excludedFrom.entrySet()) {
            if (e.getValue().equals(block)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private void end(IpBlock ip, long t, String reason, Consumer<Decision> out) {
        IpBlock block = excludedFrom.remove(ip);
        out.accept(new Decision.ListingChanged(ip, Decision.Change.EXCLUSION_ENDED, 0,
                Explanation.none(threshold), t, "exclusion from " + block + " " + reason));
    }

    /** The exclusions as zone entries (return code -1), in address order. */
    List<Listing> entries() {
        List<Listing> out = new ArrayList<>(excludedFrom.size());
        excludedFrom.forEach((ip, block) -> out.add(new Listing(ip, -1, explanation(ip, block, null))));
        return out;
    }

    /**
     * Why an excluded address is not listed: its own numbers (when the engine holds evidence for
     * it, {@code own}) with the exclusion as the reason.
     */
    Explanation explanation(IpBlock ip, IpBlock block, Explanation own) {
        Explanation x = own == null ? Explanation.none(threshold) : own;
        return new Explanation(x.score(), x.threshold(), x.spamReports(), x.positiveReports(), x.trapHits(), x.lookups(),
                x.firstEvidenceMillis(), x.lastEvidenceMillis(), 0, 0, 0, x.heldForModeration(), reason(block), x.bar());
    }

    static String reason(IpBlock block) {
        return "not listed: excluded from block " + block + " by a moderator (the block stays listed)";
    }

    // ---- for EngineSnapshot: a section of its own ---------------------------------------------

    void write(DataOutput out, IpWriter ips) throws IOException {
        out.writeInt(excludedFrom.size());
        for (Map.Entry<IpBlock, IpBlock> e : excludedFrom.entrySet()) {
            ips.write(e.getKey(), out);
            ips.write(e.getValue(), out);
        }
    }

    void read(DataInput in, IpReader ips) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            excludedFrom.put(ips.read(in), ips.read(in));
        }
    }

    interface IpWriter {
        void write(IpBlock ip, DataOutput out) throws IOException;
    }

    interface IpReader {
        IpBlock read(DataInput in) throws IOException;
    }
}
