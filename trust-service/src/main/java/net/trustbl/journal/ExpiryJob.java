package net.trustbl.journal;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.engine.EngineEvent;

import java.util.List;

/**
 * Moves the engine's clock so that listings lapse on time even when no report arrives. Ticks go
 * through the journal like every other event, so there is still only one writer. It lives beside
 * that writer, not in listing: the journal fills the listing feed, so listing must not need the journal.
 */
@ApplicationScoped
public class ExpiryJob {

    @Inject
    EventJournal journal;

    @Scheduled(every = "${trustbl.engine.expiry-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "10s")
    void tick() {
        if (journal.ready()) {
            journal.submit(List.of(new JournalEntry.Fact(new EngineEvent.Tick(0))));
        }
    }
}
