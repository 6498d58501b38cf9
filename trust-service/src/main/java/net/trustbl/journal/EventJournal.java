package net.trustbl.journal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.engine.Decision;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.EngineEvent.ReportFiled;
import net.trustbl.engine.IpBlock;
import net.trustbl.engine.Verdict;
import net.trustbl.journal.JournalEntry.Fact;
import net.trustbl.journal.JournalEntry.NewReport;
import net.trustbl.listing.ListingFeed;
import net.trustbl.trust.DecisionRecorder;
import net.trustbl.trust.TrustEngineHost;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The single writer in front of the trust engine (qmail's queue in spirit): callers hand in
 * entries and get a future; one thread takes whatever has queued up, writes it to PostgreSQL in
 * one transaction (group commit), feeds the engine in journal order, publishes listing changes,
 * and only then completes the futures. So a 202 means "durable and already applied", and a
 * replay of {@code engine_event} in sequence order rebuilds exactly the same engine.
 */
@ApplicationScoped
public class EventJournal {

    private static final Logger LOG = Logger.getLogger(EventJournal.class);
    private static final int MAX_BATCH_ENTRIES = 5_000;
    private static final int QUEUE_CAPACITY = 20_000;

    private record Submission(List<JournalEntry> entries, CompletableFuture<List<Receipt>> done) { }

    private record DuplicateKey(long memberId, IpBlock ip, Verdict verdict) { }

    @Inject
    DataSource dataSource;

    @Inject
    TrustEngineHost engine;

    @Inject
    ListingFeed feed;

    @Inject
    DecisionRecorder recorder;

    @Inject
    TrustBlConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    ClusterConfig cluster;

    @Inject
    StandbyFollower standby;

    private final BlockingQueue<Submission> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** Last counted report per (member, ip, verdict): a repeat within the window counts once. */
    private final Map<DuplicateKey, long[]> recentReports = new HashMap<>();
    private volatile boolean running;
    private volatile boolean ready;
    /** True while this instance holds the writer lock (false on a standby replica). */
    private volatile boolean writer;
    private Thread writerThread;
    private long clock;
    /** Last report id handed out; the journal is the only writer of reports, so ids come from memory. */
    private long lastReportId;
    /** Sequence number of the last stored event the engine has applied. */
    private long lastAppliedSeq;
    /**
     * A commit failed and its outcome could not be checked: before the next batch, ids are re-read
     * from the database and stored events the engine has not seen are replayed.
     */
    private boolean resyncNeeded;
    /** Fault injection for tests: runs right after a successful commit (a throw there = lost acknowledgement). */
    private volatile Runnable afterCommitFault;
    /** Fault injection for tests: runs before checking a failed commit's outcome. */
    private volatile Runnable verifyFault;
    private Timer batchTimer;
    /** Held for the life of the process: a second service on the same database must not write. */
    private Connection writerLock;

    void onStart(@Observes @Priority(10) StartupEvent ev) {
        batchTimer = Timer.builder("trustbl.journal.batch").publishPercentiles(0.5, 0.99).register(metrics);
        boolean locked;
        try {
            locked = tryWriterLock();
        } catch (SQLException e) {
            throw new IllegalStateException("could not take the journal writer lock", e);
        }
        if (locked) {
            rebuild(true);
            startWriting();
        } else if (cluster.standby()) {
            LOG.info("another trust-service writes this database: standing by (following its journal, "
                    + "forwarding writes, taking over when it goes)");
            rebuild(false);
            standby.start(this);
        } else {
            throw new IllegalStateException("another trust-service is already writing this database; "
                    + "run one writer per database or set trustbl.cluster.standby=true (see docs/operations.md)");
        }
    }

    private void startWriting() {
        writer = true;
        running = true;
        writerThread = new Thread(this::writeLoop, "trustbl-journal");
        writerThread.setDaemon(true);
        writerThread.start();
        standby.announceWriter();
    }

    /**
     * One journal per database: the engine applies only the events its own journal wrote, so two
     * writers would make two services drift apart. The lock is a PostgreSQL session advisory lock:
     * it goes with the writer's connection, so a standby can take it over the moment the writer dies.
     * Returns false when another instance holds it.
     */
    boolean tryWriterLock() throws SQLException {
        Connection c = dataSource.getConnection();
        boolean locked = false;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(7370501)")) {
            rs.next();
            locked = rs.getBoolean(1);
        } finally {
            if (locked) {
                writerLock = c;
            } else {
                c.close();
            }
        }
        return locked;
    }

    void releaseWriterLock() {
        try {
            if (writerLock != null) {
                writerLock.close();
            }
        } catch (SQLException e) {
            // a closed session lets the lock go either way
        }
        writerLock = null;
    }

    /** True while this instance writes the journal; false on a standby replica. */
    public boolean isWriter() {
        return writer;
    }

    /**
     * Called by the standby once it holds the writer lock: rebuild from the whole journal (the
     * old writer's last batches included), then write.
     */
    void promote() {
        rebuild(true);
        startWriting();
        LOG.info("took over as the journal writer");
    }

    /** A standby's catch-up: events the writer stored since {@link #lastAppliedSeq}, in order. */
    int followJournal(int limit) throws SQLException {
        List<EngineEvent> events = new ArrayList<>();
        long seq = lastAppliedSeq;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(EventRowCodec.SELECT_PAGE_AFTER)) {
            ps.setLong(1, lastAppliedSeq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(EventRowCodec.read(rs));
                    seq = rs.getLong("seq");
                }
            }
        }
        if (!events.isEmpty()) {
            List<Decision> decisions = new ArrayList<>();
            engine.apply(events, decisions::add);
            publish(decisions); // read models are the writer's to record; a standby only serves
            lastAppliedSeq = seq;
            clock = Math.max(clock, events.get(events.size() - 1).atMillis());
        }
        return events.size();
    }

    /** A standby's own clock, so that its listings lapse on time between the writer's events. */
    void followClock(long nowMillis) {
        if (nowMillis > clock) {
            clock = nowMillis;
            List<Decision> decisions = new ArrayList<>();
            engine.apply(List.of(new EngineEvent.Tick(nowMillis)), decisions::add);
            publish(decisions);
        }
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
        try {
            if (writerLock != null) {
                writerLock.close();
            }
        } catch (SQLException e) {
            // shutting down anyway; the lock goes with the session
        }
    }

    /**
     * Test hook: one-shot faults injected around the commit (null clears). {@code afterCommit}
     * runs after the database committed, as if the acknowledgement had been lost on the way;
     * {@code verify} runs before the journal checks what a failed commit left.
     */
    public void injectFaults(Runnable afterCommit, Runnable verify) {
        this.afterCommitFault = afterCommit;
        this.verifyFault = verify;
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
     * Queues entries; the future completes when they are durable and applied, or fails with
     * {@link JournalUnavailableException} when they could not be stored (nothing was kept).
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
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new JournalUnavailableException("journal failed", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new JournalUnavailableException("journal did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JournalUnavailableException("interrupted", e);
        }
    }

    // ---- start-up: rebuild the engine from the journal -----------------------------------------

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

    private final java.util.concurrent.ConcurrentLinkedQueue<CompletableFuture<Void>> rebuildRequests =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * @param asWriter whether this instance writes: only the writer records what expired while
     *                 nobody was running into the read models; a standby only serves it
     */
    private void rebuild(boolean asWriter) {
        long started = System.nanoTime();
        engine.reset();
        long count = 0;
        long lastAt = 0;
        long lastSeq = 0;
        List<EngineEvent> chunk = new ArrayList<>(1024);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // needed for a streaming cursor
            try (Statement s = c.createStatement()) {
                s.setFetchSize(5_000);
                try (ResultSet rs = s.executeQuery(EventRowCodec.SELECT)) {
                    while (rs.next()) {
                        EngineEvent e = EventRowCodec.read(rs);
                        lastSeq = rs.getLong("seq");
                        chunk.add(e);
                        lastAt = e.atMillis();
                        count++;
                        if (chunk.size() == 1024) {
                            engine.apply(chunk, d -> { });
                            chunk.clear();
                        }
                    }
                }
            }
            engine.apply(chunk, d -> { });
            long lastSerial = 0;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT coalesce(max(serial), 0) FROM listing_change")) {
                rs.next();
                lastSerial = rs.getLong(1);
            }
            loadRecentReports(c);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM report")) {
                rs.next();
                lastReportId = rs.getLong(1);
            }
            c.commit();
            lastAppliedSeq = lastSeq;
            resyncNeeded = false;
            clock = Math.max(lastAt, System.currentTimeMillis());
            // what expired while we were down is decided now, live, and recorded
            List<Decision> expired = new ArrayList<>();
            engine.apply(List.of(new EngineEvent.Tick(clock)), expired::add);
            feed.reset(lastSerial, engine.listings(), clock);
            if (asWriter) {
                publishAndRecord(expired);
            } else {
                publish(expired);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not rebuild the trust engine from the journal", e);
        }
        ready = true;
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.infof("Trust engine rebuilt from %d journal events in %d ms; %d listings, feed serial %d",
                count, ms, engine.listings().size(), feed.serial());
    }

    private void loadRecentReports(Connection c) throws SQLException {
        recentReports.clear();
        long since = System.currentTimeMillis() - config.reports().duplicateWindow().toMillis();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, member_id, ip, verdict, created_at FROM report "
                + "WHERE created_at > ? AND outcome <> 'duplicate' ORDER BY id")) {
            ps.setTimestamp(1, new Timestamp(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recentReports.put(new DuplicateKey(rs.getLong(2), IpBlock.parse(rs.getString(3)),
                                    Verdict.parse(rs.getString(4))),
                            new long[] {rs.getLong(1), rs.getTimestamp(5).getTime()});
                }
            }
        }
    }

    // ---- the writer thread ---------------------------------------------------------------------

    private void writeLoop() {
        List<Submission> batch = new ArrayList<>();
        while (running) {
            try {
                Submission first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
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
                Timer.Sample sample = Timer.start();
                process(batch);
                sample.stop(batchTimer);
                CompletableFuture<Void> rebuild;
                while ((rebuild = rebuildRequests.poll()) != null) {
                    try {
                        rebuild(true);
                        rebuild.complete(null);
                    } catch (RuntimeException e) {
                        rebuild.completeExceptionally(e);
                    }
                }
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
    }

    private void process(List<Submission> batch) {
        if (resyncNeeded) {
            try {
                resync();
            } catch (SQLException | RuntimeException e) {
                fail(batch, new JournalUnavailableException("could not resync with the database: " + e.getMessage(), e));
                return;
            }
        }
        long now = Math.max(clock, System.currentTimeMillis());
        List<List<Receipt>> receipts = new ArrayList<>(batch.size());
        List<EngineEvent> events = new ArrayList<>();
        Map<DuplicateKey, long[]> counted = new HashMap<>();
        long[] reportIds = allocateReportIds(batch);
        long batchLastSeq = 0;
        boolean committing = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int nextId = 0;
                int stored = 0;
                try (PreparedStatement report = c.prepareStatement("INSERT INTO report (id, member_id, ip, verdict, "
                        + "category, note, channel, strength, created_at, outcome, duplicate_of) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
                     PreparedStatement event = c.prepareStatement(EventRowCodec.INSERT, new String[] {"seq"})) {
                    for (Submission s : batch) {
                        List<Receipt> r = new ArrayList<>(s.entries().size());
                        for (JournalEntry entry : s.entries()) {
                            if (entry instanceof NewReport nr) {
                                long id = reportIds[nextId++];
                                Long duplicateOf = duplicateOf(nr, now, counted);
                                bindReport(report, id, nr, now, duplicateOf);
                                r.add(new Receipt(id, duplicateOf));
                                if (duplicateOf == null) {
                                    counted.put(new DuplicateKey(nr.memberId(), nr.ip(), nr.verdict()), new long[] {id, now});
                                    ReportFiled rf = new ReportFiled(id, nr.memberId(), nr.ip(), nr.verdict(), nr.strength(), now);
                                    events.add(rf);
                                    EventRowCodec.bind(event, rf);
                                    event.addBatch();
                                    stored++;
                                }
                            } else if (entry instanceof Fact f) {
                                EngineEvent e = EventRowCodec.at(f.event(), now);
                                events.add(e);
                                if (EventRowCodec.bind(event, e)) {
                                    event.addBatch();
                                    stored++;
                                }
                                r.add(new Receipt(0, null));
                            }
                        }
                        receipts.add(r);
                    }
                    report.executeBatch();
                    event.executeBatch();
                    if (stored > 0) {
                        // the sequence numbers come back with the INSERT (no extra round trip); the
                        // last one marks this batch when a commit's outcome must be checked
                        try (ResultSet keys = event.getGeneratedKeys()) {
                            while (keys.next()) {
                                batchLastSeq = Math.max(batchLastSeq, keys.getLong(1));
                            }
                        }
                    }
                }
                committing = true;
                c.commit();
                Runnable fault = afterCommitFault;
                if (fault != null) {
                    afterCommitFault = null;
                    fault.run();
                }
            } catch (SQLException | RuntimeException e) {
                safeRollback(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            if (!committing) {
                if (!(e instanceof SQLException)) {
                    LOG.error("journal batch failed before its commit", e); // a bug, not the database
                }
                fail(batch, new JournalUnavailableException("could not store: " + e.getMessage(), e));
                return;
            }
            // the commit failed, or its answer was lost: the batch may be durable all the same
            Boolean committed = committedAfterAll(batchLastSeq, reportIds);
            if (committed == null) {
                resyncNeeded = true;
                LOG.warnf(e, "journal commit outcome unknown; ids and events resync before the next batch");
                fail(batch, new JournalUnavailableException("the database did not confirm the commit; retry "
                        + "(a repeated report counts once): " + e.getMessage(), e));
                return;
            }
            if (!committed) {
                fail(batch, new JournalUnavailableException("could not store: " + e.getMessage(), e));
                return;
            }
            LOG.warnf("journal commit reported a failure (%s) but the batch is durable; applying it", e.getMessage());
        }
        clock = now;
        if (batchLastSeq > 0) {
            lastAppliedSeq = batchLastSeq;
        }
        if (reportIds.length > 0) {
            lastReportId = Math.max(lastReportId, reportIds[reportIds.length - 1]);
        }
        recentReports.putAll(counted);
        pruneRecentReports(now);

        List<Decision> decisions = new ArrayList<>();
        engine.apply(events, decisions::add);
        List<ListingFeed.Entry> entries = publish(decisions);
        // read models first: a 202 then also means the member's pages show what it caused
        // (decisions are rare next to reports, so this costs the common batch nothing)
        recorder.record(decisions, entries);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(receipts.get(i));
        }
    }

    private void fail(List<Submission> batch, JournalUnavailableException failure) {
        for (Submission s : batch) {
            s.done().completeExceptionally(failure);
        }
        metrics.counter("trustbl.journal.failures").increment();
    }

    /**
     * Whether a batch whose commit failed is durable after all: its last event (or report) is
     * visible from a fresh connection. Null when the database cannot tell us now.
     */
    private Boolean committedAfterAll(long batchLastSeq, long[] reportIds) {
        try {
            Runnable fault = verifyFault;
            if (fault != null) {
                verifyFault = null;
                fault.run();
            }
            if (batchLastSeq <= 0 && reportIds.length == 0) {
                return false; // nothing was written
            }
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement(batchLastSeq > 0
                         ? "SELECT EXISTS (SELECT 1 FROM engine_event WHERE seq = ?)"
                         : "SELECT EXISTS (SELECT 1 FROM report WHERE id = ?)")) {
                ps.setLong(1, batchLastSeq > 0 ? batchLastSeq : reportIds[reportIds.length - 1]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not check a failed commit: %s", e.getMessage());
            return null;
        }
    }

    /**
     * Brings memory back in line with the database after a commit of unknown outcome: report ids
     * continue after the durable maximum, and stored events the engine has not applied (the
     * batch did commit) are applied now, with their decisions published and recorded.
     */
    private void resync() throws SQLException {
        List<EngineEvent> missing = new ArrayList<>();
        long maxSeq = lastAppliedSeq;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(EventRowCodec.SELECT_AFTER)) {
                ps.setLong(1, lastAppliedSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        missing.add(EventRowCodec.read(rs));
                        maxSeq = rs.getLong("seq");
                    }
                }
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM report")) {
                rs.next();
                lastReportId = Math.max(lastReportId, rs.getLong(1));
            }
            loadRecentReports(c);
            c.commit();
        }
        List<Decision> decisions = new ArrayList<>();
        engine.apply(missing, decisions::add);
        for (EngineEvent e : missing) {
            clock = Math.max(clock, e.atMillis());
        }
        lastAppliedSeq = maxSeq;
        resyncNeeded = false;
        publishAndRecord(decisions);
        LOG.infof("journal resynced: %d stored events applied, next report id %d", missing.size(), lastReportId + 1);
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

    private Long duplicateOf(NewReport nr, long now, Map<DuplicateKey, long[]> counted) {
        DuplicateKey key = new DuplicateKey(nr.memberId(), nr.ip(), nr.verdict());
        long[] prior = counted.get(key);
        if (prior == null) {
            prior = recentReports.get(key);
        }
        long window = config.reports().duplicateWindow().toMillis();
        if (prior != null && now - prior[1] < window) {
            return prior[0];
        }
        return null;
    }

    private void pruneRecentReports(long now) {
        if (recentReports.size() < 100_000) {
            return;
        }
        long window = config.reports().duplicateWindow().toMillis();
        Iterator<long[]> it = recentReports.values().iterator();
        while (it.hasNext()) {
            if (now - it.next()[1] >= window) {
                it.remove();
            }
        }
    }

    private long[] allocateReportIds(List<Submission> batch) {
        int n = 0;
        for (Submission s : batch) {
            for (JournalEntry e : s.entries()) {
                if (e instanceof NewReport) {
                    n++;
                }
            }
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = lastReportId + 1 + i;
        }
        return ids;
    }

    private static void bindReport(PreparedStatement ps, long id, NewReport r, long now, Long duplicateOf)
            throws SQLException {
        ps.setLong(1, id);
        ps.setLong(2, r.memberId());
        ps.setString(3, r.ip().toString());
        ps.setString(4, r.verdict().name().toLowerCase(Locale.ROOT));
        ps.setString(5, r.category());
        ps.setString(6, r.note());
        ps.setString(7, r.channel());
        ps.setDouble(8, r.strength());
        ps.setTimestamp(9, new Timestamp(now));
        ps.setString(10, duplicateOf == null ? "pending" : "duplicate");
        if (duplicateOf == null) {
            ps.setNull(11, java.sql.Types.BIGINT);
        } else {
            ps.setLong(11, duplicateOf);
        }
        ps.addBatch();
    }

    private static void safeRollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction is gone with it
        }
    }
}
