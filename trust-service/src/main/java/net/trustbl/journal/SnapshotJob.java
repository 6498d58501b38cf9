package net.trustbl.journal;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every {@code trustbl.journal.snapshot-interval} the writer snapshots its engine (captured
 * between two batches, deflated and stored off the writer's thread) and prunes the journal rows
 * the oldest kept snapshot covers, once they are older than {@code trustbl.journal.prune-after}.
 */
@ApplicationScoped
public class SnapshotJob {

    private static final Logger LOG = Logger.getLogger(SnapshotJob.class);

    @Inject
    EventJournal journal;

    @Inject
    EngineSnapshots snapshots;

    @Inject
    JournalConfig config;

    @Scheduled(every = "${trustbl.journal.snapshot-interval}", delayed = "${trustbl.journal.snapshot-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!journal.isWriter()) {
            return;
        }
        try {
            if (!snapshots.journalMovedSinceLatest()) {
                return; // an idle journal: the snapshot kept is this state already
            }
            snapshotAndPrune();
        } catch (Exception e) {
            LOG.warnf("engine snapshot not taken (next try in %s): %s", config.snapshotInterval(), e.toString());
        }
    }

    /** Takes a snapshot now and prunes; returns the journal event the snapshot stands at. */
    public long snapshotAndPrune() throws SQLException, IOException, ExecutionException, TimeoutException, InterruptedException {
        EngineSnapshots.Captured captured = journal.captureSnapshot().get(5, TimeUnit.MINUTES);
        long started = System.nanoTime();
        EngineSnapshots.Deflated s = snapshots.deflate(captured);
        snapshots.store(s);
        long storedMs = (System.nanoTime() - started) / 1_000_000;
        long horizon = config.pruneAfter().toMillis();
        long pruned = horizon <= 0 ? 0 : snapshots.prune(System.currentTimeMillis() - horizon);
        LOG.infof("engine snapshot at journal event %d: %d bytes (%d raw); encoded in %d ms on the journal's thread "
                        + "(engine lock not taken), deflated and stored in %d ms off it; %d journal rows pruned",
                s.seq(), s.bytes().length, s.rawBytes(), captured.encodeMillis(), storedMs, pruned);
        return s.seq();
    }
}
