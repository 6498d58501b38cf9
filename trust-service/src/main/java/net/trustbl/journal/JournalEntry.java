package net.trustbl.journal;

import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;

/** One thing to make durable and feed to the trust engine, in order. */
public sealed interface JournalEntry permits JournalEntry.NewReport, JournalEntry.Fact {

    /**
     * A member's report; becomes a {@code report} row and, unless it duplicates a recent one,
     * an engine event.
     *
     * @param channel  api, web or email
     * @param strength 1.0, or less for weaker evidence (forwarded mail without registered mail hosts)
     */
    record NewReport(long memberId, IpBlock ip, Verdict verdict, String category, String note, String channel,
                     double strength) implements JournalEntry { }

    /**
     * Any other engine event (join, trap hit, traffic, delisting decision, pin, suspension, tick).
     * The event's own time is replaced by the journal's clock when it is written, so replay order
     * and time order agree. Ticks are applied but not stored.
     */
    record Fact(EngineEvent event) implements JournalEntry { }
}
