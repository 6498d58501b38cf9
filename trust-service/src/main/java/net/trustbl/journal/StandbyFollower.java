package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * The standby side of the journal (see {@link EventJournal}). A replica that did not get the
 * writer lock replays the journal like a restart would, then keeps reading the events the writer
 * stores (a page every {@code trustbl.cluster.poll-interval}), so its engine, lookups and DNS answers
 * follow the writer's a poll interval behind. Between two reads it waits in the lock's queue: the
 * lock is a session lock of the writer's database connection, so it frees itself when the writer
 * dies, PostgreSQL grants it to the waiting standby at once, and then this replica claims a new writer epoch, reads what the old writer committed last and
 * becomes the writer with the engine it followed (no replay, no empty window).
 */
@ApplicationScoped
public class StandbyFollower {

    private static final Logger LOG = Logger.getLogger(StandbyFollower.class);
    /** A standby lags its clock a little so that the writer's events never arrive "in the past". */
    private static final long CLOCK_LAG_MILLIS = 2_000;
    private static final int PAGE = 5_000;
    /** Rounds between re-reads of the writer's URL and the view-change notifications (5 × 200 ms). */
    private static final int DIRECTORY_EVERY_ROUNDS = 5;

    @Inject
    ClusterConfig config;

    @Inject
    WriterDirectory directory;

    @Inject
    TrafficInbox inbox;

    @Inject
    JournalStore store;

    @Inject
    DuplicateWindow window;

    private volatile Thread thread;
    private volatile boolean following;

    void start(EventJournal journal) {
        following = true;
        thread = new Thread(() -> follow(journal), "trustbl-journal-standby");
        thread.setDaemon(true);
        thread.start();
    }

    /** True while the standby follows the writer (or is taking over from it). */
    boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    void stop() {
        following = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A standby's DNS lookup counts go to {@code traffic_inbox}, which the writer drains into its
     * journal; false when {@code entries} are not (only) traffic observations.
     */
    boolean offerTraffic(java.util.List<JournalEntry> entries) {
        for (JournalEntry e : entries) {
            if (!(e instanceof JournalEntry.Fact f && f.event() instanceof net.trustbl.engine.EngineEvent.TrafficObserved)) {
                return false;
            }
        }
        inbox.offer(entries);
        return true;
    }

    private void follow(EventJournal journal) {
        long pause = config.pollInterval().toMillis();
        long failures = 0;
        long round = 0;
        while (following) {
            try {
                if (journal.tryWriterLock()) {
                    try {
                        journal.promote();
                        following = false;
                        return;
                    } catch (SQLException | RuntimeException e) {
                        LOG.error("could not take over as the journal writer; letting the lock go", e);
                        journal.releaseWriterLock();
                    }
                }
                int read;
                do {
                    read = journal.followJournal(PAGE);
                } while (read == PAGE && following);
                // expiries are decided no later than the writer recorded them: a take-over then finds
                // none decided here that the read models miss
                journal.followClock(Math.min(System.currentTimeMillis() - CLOCK_LAG_MILLIS, directory.writerClock()));
                // the writer's URL and members' view changes move far less often than the journal:
                // about once a second is soon enough, and spares the database a query per poll
                if (round++ % DIRECTORY_EVERY_ROUNDS == 0) {
                    directory.refresh();
                    directory.pollViewChanges();
                    // reports the writer stored since: a take-over then loads a second of them, not the
                    // whole window (2.9 s under 400 reports/s in ops/drills/replicas)
                    store.followWindow(window);
                }
                failures = 0;
                // the pause is spent in the lock's queue: the writer's death ends it (take-over at once)
                journal.awaitWriterLock(config.pollInterval());
            } catch (Exception e) {
                // database away: keep answering from memory, try again with a growing pause, at most a
                // second: a writer that stepped down when the database went away takes the writer role
                // back this soon after it returns (ops/drills/db-down: 5.9 s with a 5 s cap)
                if (failures++ % 50 == 0) {
                    LOG.warnf("standby cannot read the journal (%s); serving what it has", e.toString());
                }
                try {
                    Thread.sleep(Math.min(1_000, pause * (1 + failures)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
