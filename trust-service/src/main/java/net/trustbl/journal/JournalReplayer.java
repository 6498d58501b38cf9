package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.engine.Decision;
import net.trustbl.engine.EngineEvent;
import net.trustbl.listing.ListingFeed;
import net.trustbl.trust.DecisionRecorder;
import net.trustbl.trust.TrustEngineHost;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds the engine what the journal stored, in sequence order: the whole journal at start (and
 * on take-over), a standby's pages behind the writer, the events a commit of unknown outcome may
 * have stored, and each batch the writer just committed. Whatever the engine decides goes to the
 * listing feed, and (on the writer only) to the read models.
 */
@ApplicationScoped
public class JournalReplayer {

    private static final Logger LOG = Logger.getLogger(JournalReplayer.class);

    @Inject
    TrustEngineHost engine;

    @Inject
    ListingFeed feed;

    @Inject
    DecisionRecorder recorder;

    @Inject
    JournalStore store;

    @Inject
    DuplicateWindow window;

    @Inject
    JournalPosition position;

    /**
     * Rebuilds the engine from the whole stored journal.
     *
     * @param asWriter whether this instance writes: only the writer records what expired while
     *                 nobody was running into the read models; a standby only serves it
     */
    void rebuild(boolean asWriter) {
        long started = System.nanoTime();
        engine.reset();
        JournalStore.Tail tail;
        try {
            tail = store.replayAll(chunk -> engine.apply(chunk, d -> { }), window);
        } catch (SQLException e) {
            throw new IllegalStateException("could not rebuild the trust engine from the journal", e);
        }
        position.resetTo(Math.max(tail.lastAtMillis(), System.currentTimeMillis()), tail.lastSeq(), tail.lastReportId());
        // what expired while we were down is decided now, live, and recorded
        List<Decision> expired = new ArrayList<>();
        engine.apply(List.of(new EngineEvent.Tick(position.clock())), expired::add);
        feed.reset(tail.lastListingSerial(), engine.listings(), position.clock());
        if (asWriter) {
            publishAndRecord(expired);
        } else {
            publish(expired);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.infof("Trust engine rebuilt from %d journal events in %d ms; %d listings, feed serial %d",
                tail.events(), ms, engine.listings().size(), feed.serial());
    }

    /** A standby's catch-up: at most {@code limit} events the writer stored since the last page. */
    int follow(int limit) throws SQLException {
        JournalStore.Page page = store.readAfter(position.lastAppliedSeq(), limit);
        List<EngineEvent> events = page.events();
        if (!events.isEmpty()) {
            List<Decision> decisions = new ArrayList<>();
            engine.apply(events, decisions::add);
            publish(decisions); // read models are the writer's to record; a standby only serves
            position.applied(page.lastSeq());
            position.advanceClock(events.get(events.size() - 1).atMillis());
        }
        return events.size();
    }

    /** A standby's own clock, so that its listings lapse on time between the writer's events. */
    void followClock(long nowMillis) {
        if (nowMillis > position.clock()) {
            position.advanceClock(nowMillis);
            List<Decision> decisions = new ArrayList<>();
            engine.apply(List.of(new EngineEvent.Tick(nowMillis)), decisions::add);
            publish(decisions);
        }
    }

    /**
     * Brings memory back in line with the database after a commit of unknown outcome: report ids
     * continue after the durable maximum, and stored events the engine has not applied (the
     * commit did happen) are applied now, with their decisions published and recorded.
     */
    void resync() throws SQLException {
        JournalStore.Resync r = store.readForResync(position.lastAppliedSeq(), window);
        List<EngineEvent> missed = r.missed().events();
        position.reportIdsUsedUpTo(r.lastReportId());
        List<Decision> decisions = new ArrayList<>();
        engine.apply(missed, decisions::add);
        for (EngineEvent e : missed) {
            position.advanceClock(e.atMillis());
        }
        position.applied(r.missed().lastSeq());
        position.needResync(false);
        publishAndRecord(decisions);
        LOG.infof("journal resynced: %d stored events applied, next report id %d", missed.size(),
                position.lastReportId() + 1);
    }

    /**
     * Applies what one commit stored, in the order it was written. Read models first: a 202 then
     * also means the member's pages show what it caused (decisions are rare next to reports, so
     * this costs the common batch nothing).
     */
    void applyCommitted(List<EngineEvent> events) {
        List<Decision> decisions = new ArrayList<>();
        engine.apply(events, decisions::add);
        publishAndRecord(decisions);
    }

    private void publishAndRecord(List<Decision> decisions) {
        recorder.record(decisions, publish(decisions));
    }

    private List<ListingFeed.Entry> publish(List<Decision> decisions) {
        List<Decision.ListingChanged> changes = new ArrayList<>();
        for (Decision d : decisions) {
            if (d instanceof Decision.ListingChanged lc) {
                changes.add(lc);
            }
        }
        return feed.publish(changes);
    }
}
