package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;

import java.util.HashSet;
import java.util.PriorityQueue;

/**
 * The humans around an engine: a listed legitimate sender asks for removal and a moderator
 * upholds it after a delay (RFC 6471: every list must offer removal); so does a share of the listed
 * spam sources ({@code moderation.spamDelistingShare}), and the moderator turns theirs down after
 * the same delay; the engine hears of each request when it is made; a held address is reviewed:
 * a spam source is listed, a sender of no spam at all has its hold turned down. Each engine gets
 * the answers its own listings provoke, delivered as ordinary events (a model may ignore them:
 * SpamCop does).
 */
final class Moderator {

    /**
     * @param upheld a delisting request upheld; @param dismissal a hold turned down (HoldDismissed);
     * @param refused a spam source's delisting request turned down
     */
    private record Pending(long atMillis, long seq, IpBlock ip, boolean upheld, boolean dismissal, boolean refused) { }

    private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> a.atMillis != b.atMillis
            ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
    private final HashSet<IpBlock> waiting = new HashSet<>();
    private final long delistDelay;
    private final long reviewDelay;
    private long seq;
    long delistingsUpheld;
    long holdsConfirmed;
    long holdsDismissed;
    long delistingsRefused;
    private final double spamDelistingShare;

    Moderator(Scenario.Moderation m) {
        this.delistDelay = (long) (m.delistAfterHours * 3_600_000L);
        this.reviewDelay = (long) (m.reviewHeldAfterHours * 3_600_000L);
        this.spamDelistingShare = m.spamDelistingShare;
    }

    /**
     * {@code sender} found itself listed at {@code now}: a legitimate sender asks for removal, and
     * so does a spam source whose operator asks ({@link #spamSourceAsks}), once per episode; the
     * engine hears of the request at once.
     */
    void seenListed(SenderInstance sender, long now, ListingModel model) {
        boolean legitimate = sender.legitimate();
        if ((legitimate || spamSourceAsks(sender.ip)) && waiting.add(sender.ip)) {
            queue.add(new Pending(now + delistDelay, seq++, sender.ip, legitimate, false, !legitimate));
            model.apply(new EngineEvent.DelistingRequested(sender.ip, now));
        }
    }

    /** Whether this spam source's operator asks for delisting: a fixed share of the sources, chosen by address. */
    boolean spamSourceAsks(IpBlock ip) {
        if (spamDelistingShare <= 0) {
            return false;
        }
        long h = ip.hashCode() * 0x9E3779B97F4A7C15L;
        return ((h >>> 11) * 0x1.0p-53) < spamDelistingShare;
    }

    /** A held address turned out to be a spam source: the moderator confirms the evidence. */
    void holdReviewed(IpBlock ip, long now) {
        queue.add(new Pending(now + reviewDelay, seq++, ip, false, false, false));
    }

    /**
     * A held address sends no spam at all (the careless member's slip, the attacked server): the
     * moderator turns the hold down, as the service's moderation queue asks it to.
     */
    void holdDismissed(IpBlock ip, long now) {
        queue.add(new Pending(now + reviewDelay, seq++, ip, false, true, false));
    }

    /** Hands the decisions due by {@code now} to the model; returns how many events were applied. */
    int deliverDue(long now, ListingModel model) {
        int n = 0;
        while (!queue.isEmpty() && queue.peek().atMillis <= now) {
            Pending p = queue.poll();
            if (p.refused) {
                waiting.remove(p.ip);
                if (model.isListed(p.ip)) { // a lapsed listing leaves nothing to decide
                    delistingsRefused++;
                    model.apply(new EngineEvent.DelistingDecided(p.ip, false, p.atMillis));
                    n++;
                }
                continue;
            }
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
