package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;

import java.util.HashSet;
import java.util.PriorityQueue;

/**
 * The humans around an engine: a listed legitimate sender asks for removal and a moderator
 * upholds it after a delay (RFC 6471: every list must offer removal); a held high-volume address
 * is reviewed and, if it really is a spam source, listed. Each engine gets the answers its own
 * listings provoke, delivered as ordinary events (a model may ignore them: SpamCop does).
 */
final class Moderator {

    private record Pending(long atMillis, long seq, IpBlock ip, boolean upheld) { }

    private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> a.atMillis != b.atMillis
            ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
    private final HashSet<IpBlock> waiting = new HashSet<>();
    private final long delistDelay;
    private final long reviewDelay;
    private long seq;
    long delistingsUpheld;
    long holdsConfirmed;

    Moderator(Scenario.Moderation m) {
        this.delistDelay = (long) (m.delistAfterHours * 3_600_000L);
        this.reviewDelay = (long) (m.reviewHeldAfterHours * 3_600_000L);
    }

    /** A legitimate sender found itself listed at {@code now}: it asks for removal (once per episode). */
    void delistingRequested(IpBlock ip, long now) {
        if (waiting.add(ip)) {
            queue.add(new Pending(now + delistDelay, seq++, ip, true));
        }
    }

    /** A held address turned out to be a spam source: the moderator confirms the evidence. */
    void holdReviewed(IpBlock ip, long now) {
        queue.add(new Pending(now + reviewDelay, seq++, ip, false));
    }

    /** Hands the decisions due by {@code now} to the model; returns how many events were applied. */
    int deliverDue(long now, ListingModel model) {
        int n = 0;
        while (!queue.isEmpty() && queue.peek().atMillis <= now) {
            Pending p = queue.poll();
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
