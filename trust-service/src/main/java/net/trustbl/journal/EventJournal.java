package net.trustbl.journal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import net.trustbl.common.JournalUnavailableException;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The single writer in front of the trust engine (qmail's queue in spirit): callers hand in
 * entries and get a future; one thread takes whatever has queued up and hands it to
 * {@link GroupCommit}, which writes it to PostgreSQL in one transaction, feeds the engine in
 * journal order, publishes listing changes, and only then completes the futures. So a 202 means
 * "durable and already applied", and a replay of {@code engine_event} in sequence order
 * ({@link JournalReplayer}) rebuilds exactly the same engine. One journal writes a database
 * ({@link WriterLock}); other replicas stand by ({@link StandbyFollower}).
 */
@ApplicationScoped
public class EventJournal {

    private static final Logger LOG = Logger.getLogger(EventJournal.class);
    private static final int MAX_BATCH_ENTRIES = 5_000;
    private static final int QUEUE_CAPACITY = 20_000;
    /** How often an idle or busy writer checks its lock session (a lost session means another may write). */
    private static final long LOCK_CHECK_MILLIS = 1_000;

    @Inject
    WriterLock lock;

    @Inject
    GroupCommit groupCommit;

    @Inject
    JournalReplayer replayer;

    @Inject
    MeterRegistry metrics;

    @Inject
    ClusterConfig cluster;

    @Inject
    StandbyFollower standby;

    @Inject
    WriterFence fence;

    @Inject
    WriterDirectory directory;

    @Inject
    JournalPosition position;

    @Inject
    EngineSnapshots snapshots;

    private final BlockingQueue<Submission> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> rebuildRequests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<EngineSnapshots.Captured>> snapshotRequests = new ConcurrentLinkedQueue<>();
    private volatile boolean running;
    private volatile boolean ready;
    /** True while this instance holds the writer lock (false on a standby replica). */
    private volatile boolean writer;
    private Thread writerThread;
    private Timer batchTimer;
    /** Set by the writer thread when it found it no longer holds the writer role. */
    private volatile boolean steppingDown;
    private long lastLockCheck;

    void onStart(@Observes @Priority(10) StartupEvent ev) {
        batchTimer = Timer.builder("trustbl.journal.batch").publishPercentiles(0.5, 0.99).register(metrics);
        boolean locked;
        try {
            locked = lock.tryAcquire();
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the journal writer lock", e);
        }
        if (locked) {
            claimWriterRole();
            rebuild();
            startWriting();
        } else if (cluster.standby()) {
            LOG.info("another trust-service writes this database: standing by (following its journal, "
                    + "forwarding writes, taking over when it goes)");
            rebuild();
            standby.start(this);
        } else {
            throw new IllegalStateException("another trust-service is already writing this database; "
                    + "run one writer per database or set trustbl.cluster.standby=true (see docs/operations.md)");
        }
    }

    /** A new epoch for this writer, claimed before it reads the journal, so it reads everything the last one committed. */
    private void claimWriterRole() {
        try {
            directory.claim(cluster.advertiseUrl().orElse(null));
        } catch (SQLException e) {
            lock.release();
            throw new IllegalStateException("could not claim the journal writer role", e);
        }
        groupCommit.resetFence();
    }

    private void startWriting() {
        steppingDown = false;
        lastLockCheck = System.currentTimeMillis();
        running = true;
        writer = true;
        writerThread = new Thread(this::writeLoop, "trustbl-journal");
        writerThread.setDaemon(true);
        writerThread.start();
    }

    private void rebuild() {
        replayer.rebuild();
        ready = true;
    }

    /** Takes the writer lock if it is free (a standby tries on every round); false when another instance holds it. */
    boolean tryWriterLock() throws SQLException {
        return lock.tryAcquire();
    }

    /** A standby's pause between polls, spent queued for the writer lock: true as soon as it is granted. */
    boolean awaitWriterLock(java.time.Duration wait) throws SQLException {
        return lock.awaitAcquire(wait);
    }

    void releaseWriterLock() {
        lock.release();
    }

    /** True while this instance writes the journal; false on a standby replica. */
    public boolean isWriter() {
        return writer;
    }

    /**
     * Called by the standby once it holds the writer lock: claim a new epoch, read what the old
     * writer committed after the last page followed, and write. The engine the standby followed
     * keeps answering throughout: nothing is reset.
     */
    void promote() throws SQLException {
        PhaseClock phases = new PhaseClock();
        claimWriterRole();
        phases.mark("epoch claimed");
        replayer.takeOver();
        phases.mark("engine taken over");
        startWriting();
        LOG.infof("took over as the journal writer in %d ms after the lock (%s)", phases.totalMillis(), phases);
    }

    /** A standby's catch-up: events the writer stored since the last one applied, in order. */
    int followJournal(int limit) throws SQLException {
        return replayer.follow(limit);
    }

    /** A standby's own clock, so that its listings lapse on time between the writer's events. */
    void followClock(long nowMillis) {
        replayer.followClock(nowMillis);
    }

    void onStop(@Observes ShutdownEvent ev) {
        running = false;
        standby.stop();
        if (writerThread != null) {
            writerThread.interrupt();
            try {
                writerThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.release(); // shutting down anyway; the lock goes with the session
    }

    /**
     * Test hook: one-shot faults injected around the commit (null clears). {@code afterCommit}
     * runs after the database committed the next batch holding a report, as if the acknowledgement
     * had been lost on the way;
     * {@code verify} runs before the journal checks what a failed commit left.
     */
    public void injectFaults(Runnable afterCommit, Runnable verify) {
        groupCommit.injectFaults(afterCommit, verify);
    }

    /** True while the writer thread runs, or on a standby the thread that follows the writer (liveness). */
    public boolean writerAlive() {
        if (!writer) {
            return standby.alive();
        }
        Thread w = writerThread;
        return running && w != null && w.isAlive();
    }

    /** True once the engine has been rebuilt from the journal. */
    public boolean ready() {
        return ready;
    }

    /**
     * Queues entries (one request's: they are stored together or not at all); the future
     * completes when they are durable and applied, or fails with
     * {@link JournalUnavailableException} when they could not be stored now (nothing was kept),
     * or with {@link JournalRefusedException} when the database refused their data.
     */
    public CompletableFuture<List<Receipt>> submit(List<JournalEntry> entries) {
        CompletableFuture<List<Receipt>> done = new CompletableFuture<>();
        if (!running && ready && !writer && standby.offerTraffic(entries)) {
            done.complete(List.of()); // a standby's lookup counts: the writer journals them (TrafficInbox)
            return done;
        }
        if (!running) {
            done.completeExceptionally(new JournalUnavailableException(ready && !writer
                    ? "this replica is a standby; writes go to the journal writer" : "journal is not running", null));
            return done;
        }
        if (!queue.offer(new Submission(List.copyOf(entries), done))) {
            done.completeExceptionally(new JournalUnavailableException("journal queue is full", null));
        }
        return done;
    }

    /** Submits and waits (for callers on worker threads). */
    public List<Receipt> submitAndWait(List<JournalEntry> entries) {
        try {
            return submit(entries).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new JournalUnavailableException("journal failed", e.getCause());
        } catch (TimeoutException e) {
            throw new JournalUnavailableException("journal did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JournalUnavailableException("interrupted", e);
        }
    }

    /**
     * Rebuilds the engine from the stored journal while holding the writer back (operators call
     * it after restoring a backup; tests use it to prove that a replay gives the same listings).
     */
    public void rebuildFromJournal() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        // run it on the writer thread between batches so no entry is half-applied
        rebuildRequests.add(done);
        queue.offer(new Submission(List.of(), new CompletableFuture<>()));
        done.join();
    }

    /**
     * The engine's state captured on the writer thread between two batches, so that it is
     * exactly the state after the last applied journal event; fails on a standby.
     */
    CompletableFuture<EngineSnapshots.Captured> captureSnapshot() {
        CompletableFuture<EngineSnapshots.Captured> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new JournalUnavailableException("not the journal writer", null));
            return done;
        }
        snapshotRequests.add(done);
        queue.offer(new Submission(List.of(), new CompletableFuture<>())); // wakes the writer thread
        return done;
    }

    /** What the last start-up, take-over rebuild or operator rebuild replayed, and how long it took. */
    public JournalReplayer.RebuildReport lastRebuild() {
        return replayer.lastRebuild();
    }

    // ---- the writer thread ---------------------------------------------------------------------

    private void writeLoop() {
        List<Submission> batch = new ArrayList<>();
        while (running) {
            try {
                if (!stillWriter()) {
                    break;
                }
                if (!takeBatch(batch)) {
                    continue;
                }
                Timer.Sample sample = Timer.start();
                groupCommit.commit(batch);
                sample.stop(batchTimer);
                runRebuildRequests();
                runSnapshotRequests();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("journal batch failed", e);
                for (Submission s : batch) {
                    s.done().completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
        // refuse whatever is still queued so that no caller waits for ever
        Submission s;
        while ((s = queue.poll()) != null) {
            s.done().completeExceptionally(new JournalUnavailableException("journal stopped", null));
        }
        if (steppingDown) {
            stepDown();
        }
    }

    /**
     * False when this writer must stop: a batch was fenced out, or (checked about once a second)
     * its lock session no longer holds the lock and epoch. A database restart ends the lock
     * session silently; from then on another replica may take over at any moment.
     */
    private boolean stillWriter() {
        if (!groupCommit.fencedOut()) {
            long now = System.currentTimeMillis();
            if (now - lastLockCheck < LOCK_CHECK_MILLIS) {
                return true;
            }
            lastLockCheck = now;
            if (lock.stillHeld(fence.epoch())) {
                return true;
            }
        }
        LOG.warn("this instance no longer holds the journal writer role (fenced out, or its lock session ended): "
                + "stepping down to standby");
        steppingDown = true;
        running = false;
        return false;
    }

    /** On the old writer thread, after it stopped taking batches: become a standby that follows the journal from here. */
    private void stepDown() {
        fence.resign();
        lock.release();
        directory.forget();
        metrics.counter("trustbl.journal.step-downs").increment();
        writer = false;
        standby.start(this);
    }

    /** Waits up to a second for a submission, then takes whatever else has queued (up to a batch); false if none came. */
    private boolean takeBatch(List<Submission> batch) throws InterruptedException {
        Submission first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
            return false;
        }
        batch.add(first);
        int entries = first.entries().size();
        while (entries < MAX_BATCH_ENTRIES) {
            Submission next = queue.poll();
            if (next == null) {
                break;
            }
            batch.add(next);
            entries += next.entries().size();
        }
        return true;
    }

    private void runSnapshotRequests() {
        CompletableFuture<EngineSnapshots.Captured> request;
        while ((request = snapshotRequests.poll()) != null) {
            if (position.rebuildNeeded()) {
                request.completeExceptionally(new JournalUnavailableException("engine is being rebuilt", null));
                continue;
            }
            try {
                request.complete(snapshots.capture(position.lastAppliedSeq(), position.clock()));
            } catch (java.io.IOException | RuntimeException e) {
                request.completeExceptionally(e);
            } catch (OutOfMemoryError e) {
                // the encoded state (≈ 80 bytes an address) did not fit: it is dropped with its
                // buffer; the journal's thread must live on (start-up then replays a longer tail)
                LOG.error("engine snapshot needs more heap than is free (raise -Xmx); journal continues without it");
                request.completeExceptionally(e);
            }
        }
    }

    private void runRebuildRequests() {
        CompletableFuture<Void> rebuild;
        while ((rebuild = rebuildRequests.poll()) != null) {
            try {
                rebuild();
                rebuild.complete(null);
            } catch (RuntimeException e) {
                rebuild.completeExceptionally(e);
            }
        }
    }
}
