package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;

import java.util.HashSet;
import java.util.PriorityQueue;

/**
 * The humans around an engine: a listed legitimate sender asks for removal and a moderator
 * upholds it after a delay (RFC 6471: every list must offer removal); a held address is reviewed:
 * a spam source is listed, a sender of no spam at all has its hold turned down. Each engine gets
 * the answers its own listings provoke, delivered as ordinary events (a model may ignore them:
 * SpamCop does).
 */
final class Moderator {

    /** @param upheld a delisting request upheld; @param dismissal a hold turned down (HoldDismissed) */
    private record Pending(long atMillis, long seq, IpBlock ip, boolean upheld, boolean dismissal) { }

    private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> a.atMillis != b.atMillis
            ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
    private final HashSet<IpBlock> waiting = new HashSet<>();
    private final long delistDelay;
    private final long reviewDelay;
    private long seq;
    long delistingsUpheld;
    long holdsConfirmed;
    long holdsDismissed;

    Moderator(Scenario.Moderation m) {
        this.delistDelay = (long) (m.delistAfterHours * 3_600_000L);
        this.reviewDelay = (long) (m.reviewHeldAfterHours * 3_600_000L);
    }

    /** A legitimate sender found itself listed at {@code now}: it asks for removal (once per episode). */
    void delistingRequested(IpBlock ip, long now) {
        if (waiting.add(ip)) {
            queue.add(new Pending(now + delistDelay, seq++, ip, true, false));
        }
    }

    /** A held address turned out to be a spam source: the moderator confirms the evidence. */
    void holdReviewed(IpBlock ip, long now) {
        queue.add(new Pending(now + reviewDelay, seq++, ip, false, false));
    }

    /**
     * A held address sends no spam at all (the careless member's slip, the attacked server): the
     * moderator turns the hold down, as the service's moderation queue asks it to.
     */
    void holdDismissed(IpBlock ip, long now) {
        queue.add(new Pending(now + reviewDelay, seq++, ip, false, true));
    }

    /** Hands the decisions due by {@code now} to the model; returns how many events were applied. */
    int deliverDue(long now, ListingModel model) {
        int n = 0;
        while (!queue.isEmpty() && queue.peek().atMillis <= now) {
            Pending p = queue.poll();
            if (p.dismissal) {
                holdsDismissed++;
                model.apply(new EngineEvent.HoldDismissed(p.ip, p.atMillis));
                n++;
                continue;
            }
            if (p.upheld) {
                waiting.remove(p.ip);
                if (!model.isListed(p.ip)) {
                    continue; // the listing lapsed meanwhile: nothing left to decide
                }
                delistingsUpheld++;
            } else {
                holdsConfirmed++;
            }
            model.apply(new EngineEvent.DelistingDecided(p.ip, p.upheld, p.atMillis));
            n++;
        }
        return n;
    }
}
