package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.engine.Decision;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.TrustEngine;
import net.trustbl.listing.ListingFeed;
import net.trustbl.listing.TrustedFeed;
import net.trustbl.trust.DecisionRecorder;
import net.trustbl.trust.TrustEngineHost;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds the engine what the journal stored, in sequence order: the latest snapshot and the
 * events after it at start (and after a commit that may have failed), a standby's pages behind
 * the writer, and each batch the writer is committing. The writer records the decisions of a
 * batch in the batch's own transaction ({@link #applyAndRecord}); a replay therefore records
 * nothing: it only brings the engine to where the database stands (the writer's clock included,
 * up to which expiries are recorded) and serves it.
 */
@ApplicationScoped
public class JournalReplayer {

    private static final Logger LOG = Logger.getLogger(JournalReplayer.class);
    private static final int CATCH_UP_PAGE = 5_000;

    @Inject
    TrustEngineHost engine;

    @Inject
    ListingFeed feed;

    @Inject
    TrustedFeed trustedFeed;

    @Inject
    DecisionRecorder recorder;

    @Inject
    JournalPosition position;

    @Inject
    JournalStore store;

    @Inject
    DuplicateWindow window;

    @Inject
    EngineSnapshots snapshots;

    /** What the last rebuild started from and replayed (operators and ops/bench/replay read it). */
    public record RebuildReport(long snapshotSeq, long eventsReplayed, long millis) { }

    private volatile RebuildReport lastRebuild;

    public RebuildReport lastRebuild() {
        return lastRebuild;
    }

    /**
     * Rebuilds the engine from the latest snapshot (none: from scratch) and the journal after it, on the side: the
     * engine serving now keeps answering until the rebuilt one is swapped in.
     */
    void rebuild() {
        PhaseClock phases = new PhaseClock();
        try {
            EngineSnapshots.Loaded base = snapshots.loadLatest();
            phases.mark("snapshot");
            TrustEngine fresh = base == null ? engine.newEngine() : base.engine();
            long fromSeq = base == null ? 0 : base.seq();
            JournalStore.Tail tail = store.replayAfter(fromSeq, chunk -> {
                for (EngineEvent e : chunk) {
                    try {
                        fresh.apply(e, d -> { }); // recorded when its batch committed
                    } catch (RuntimeException ex) {
                        // it was applied once when it was stored; an engine that now throws on it must
                        // not keep the service from starting (every replica skips it alike)
                        LOG.errorf(ex, "journal event %s could not be applied on replay; skipped", e);
                    }
                }
            });
            phases.mark("tail");
            JournalStore.Standing standing = store.standing(window);
            phases.mark("standing");
            long clock = Math.max(Math.max(tail.lastAtMillis(), standing.writerClock()), base == null ? 0 : base.clock());
            if (clock > 0) {
                fresh.apply(new EngineEvent.Tick(clock), d -> { }); // expiries up to the writer's clock are recorded too
            }
            phases.mark("tick");
            engine.replace(fresh);
            phases.mark("swap");
            feed.reset(standing.lastListingSerial(), engine.zoneEntries(), clock);
            phases.mark("feed");
            trustedFeed.resetTo(engine.trustedSenders(), clock);
            phases.mark("trusted");
            position.resetTo(clock, tail.lastSeq());
            long ms = phases.totalMillis();
            lastRebuild = new RebuildReport(fromSeq, tail.events(), ms);
            LOG.infof("Trust engine rebuilt in %d ms from %s and %d journal events after it; %d listings, feed serial %d (%s)",
                    ms, base == null ? "nothing" : "the snapshot at event " + fromSeq, tail.events(),
                    engine.listingCount(), feed.serial(), phases); // a count: listings() explains each one again (seconds at 100,000)
        } catch (SQLException e) {
            throw new IllegalStateException("could not rebuild the trust engine from the journal", e);
        }
    }

    /**
     * A standby becomes the writer (it claimed the epoch): the engine it followed is kept, it
     * only reads what the old writer committed since the last page (those decisions are
     * recorded), and continues. Lookups never see an empty engine.
     */
    void takeOver() throws SQLException {
        PhaseClock phases = new PhaseClock();
        int read = 0;
        int page;
        do {
            page = follow(CATCH_UP_PAGE);
            read += page;
        } while (page == CATCH_UP_PAGE);
        phases.mark("catch-up");
        JournalStore.Standing standing = store.standing(window, true); // the window was followed too
        phases.mark("standing");
        long clock = Math.max(position.clock(), standing.writerClock());
        List<Decision> decisions = new ArrayList<>();
        engine.apply(List.of(new EngineEvent.Tick(clock)), decisions::add);
        publish(decisions);
        position.resetTo(clock, position.lastAppliedSeq());
        phases.mark("tick");
        // the feeds served every change followed: the zones stay, serials continue after the old writer's
        feed.continueAfter(standing.lastListingSerial());
        LOG.infof("took over the followed engine in %d ms (%d journal events caught up; %s)", phases.totalMillis(), read, phases);
    }

    /** A standby's catch-up: at most {@code limit} events the writer stored since the last page. */
    int follow(int limit) throws SQLException {
        JournalStore.Page page = store.readAfter(position.lastAppliedSeq(), limit);
        List<EngineEvent> events = page.events();
        if (!events.isEmpty()) {
            List<Decision> decisions = new ArrayList<>();
            engine.applyStored(events, decisions::add, (e, ex) ->
                    LOG.errorf(ex, "journal event %s could not be applied on the standby; skipped", e));
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
     * Applies what a batch is storing, in {@code c}'s transaction, and records the decisions there
     * too; returns the listing changes to serve once it committed ({@link #publishCommitted}). If
     * the commit then fails, the engine is ahead of the database and must be rebuilt.
     */
    List<ListingFeed.Entry> applyAndRecord(Connection c, List<EngineEvent> events) throws SQLException {
        List<Decision> decisions = new ArrayList<>();
        engine.apply(events, decisions::add);
        List<ListingFeed.Entry> entries = feed.prepare(listingChanges(decisions));
        recorder.record(c, decisions, entries.stream().mapToLong(ListingFeed.Entry::serial).toArray());
        trustedFeed.stage(decisions);
        return entries;
    }

    void publishCommitted(List<ListingFeed.Entry> entries) {
        feed.apply(entries);
        trustedFeed.publishStaged();
    }

    private void publish(List<Decision> decisions) {
        feed.publish(listingChanges(decisions));
        trustedFeed.publishNow(decisions);
    }

    private static List<Decision.ListingChanged> listingChanges(List<Decision> decisions) {
        List<Decision.ListingChanged> changes = new ArrayList<>();
        for (Decision d : decisions) {
            if (d instanceof Decision.ListingChanged lc) {
                changes.add(lc);
            }
        }
        return changes;
    }
}
