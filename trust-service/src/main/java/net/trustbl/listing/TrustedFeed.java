package net.trustbl.listing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import net.trustbl.engine.Decision;
import net.trustbl.engine.Decision.Change;
import net.trustbl.engine.Decision.ListingChanged;
import net.trustbl.engine.Decision.TrustedChanged;
import net.trustbl.engine.Explanation;
import net.trustbl.engine.Listing;
import net.trustbl.engine.TrustedSender;

import java.util.ArrayList;
import java.util.List;

/**
 * The feed of trusted senders (the allow zone), in the listing feed's form so that the DNS zone
 * follows it the same way: an entry's return code is the 127.0.10.x code, 0 when removed. The
 * journal writer stages a batch's changes and serves them once the batch committed, as it does
 * for listings; a rebuilt engine starts the feed over from its trusted senders.
 */
@ApplicationScoped
@Typed(TrustedFeed.class) // not a second ListingFeed bean: listings and trusted senders never mix
public class TrustedFeed extends ListingFeed {

    private List<Entry> staged = List.of();

    /** Starts over from a rebuilt engine's trusted senders. */
    public synchronized void resetTo(List<TrustedSender> senders, long nowMillis) {
        staged = List.of();
        List<Listing> current = new ArrayList<>(senders.size());
        for (TrustedSender s : senders) {
            current.add(new Listing(s.ip(), s.code(), Explanation.none(0)));
        }
        reset(0, current, nowMillis);
    }

    /** The journal writer's batch: its trusted-sender changes wait for the commit ({@link #publishStaged}). */
    public synchronized void stage(List<Decision> decisions) {
        staged = prepare(changes(decisions));
    }

    public synchronized void publishStaged() {
        List<Entry> entries = staged;
        staged = List.of();
        apply(entries);
    }

    /** Serves a standby's (or an expiry's) changes at once: nothing of theirs is written. */
    public synchronized void publishNow(List<Decision> decisions) {
        publish(changes(decisions));
    }

    private static List<ListingChanged> changes(List<Decision> decisions) {
        List<ListingChanged> out = new ArrayList<>();
        for (Decision d : decisions) {
            if (d instanceof TrustedChanged t) {
                out.add(new ListingChanged(t.ip(), t.code() == 0 ? Change.REMOVED : Change.CREATED, t.code(),
                        Explanation.none(0), t.atMillis(), t.reason()));
            }
        }
        return out;
    }
}
