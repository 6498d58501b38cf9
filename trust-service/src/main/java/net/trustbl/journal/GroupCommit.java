package net.trustbl.journal;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.ControlCharacters;
import net.trustbl.common.JournalUnavailableException;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.EngineEvent.ReportFiled;
import net.trustbl.journal.JournalEntry.Fact;
import net.trustbl.journal.JournalEntry.NewReport;
import net.trustbl.journal.JournalStore.ReportRow;
import net.trustbl.listing.ListingFeed;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a batch of queued submissions to PostgreSQL, in one transaction when it can (group
 * commit), and completes each submission's future. The transaction first proves this instance is
 * still the writer ({@link WriterFence}), takes report ids from the database sequence, stores the
 * reports and events, applies the events to the engine and records the engine's decisions (listing
 * history, outcomes, trust, moderation holds) — so a decision is durable exactly when its cause
 * is. One bad submission must not cost the others: when the database refuses a transaction for
 * its data, the batch is split in halves and each half tried on its own, in order, until the bad
 * submission stands alone and is refused (422); everything else commits and is acknowledged. An
 * outage fails what is left with 503. If a commit fails after the engine applied the batch, the
 * engine is rebuilt from the database before the next batch.
 */
@ApplicationScoped
public class GroupCommit {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    @Inject
    JournalStore store;

    @Inject
    DuplicateWindow window;

    @Inject
    JournalPosition position;

    @Inject
    JournalReplayer replayer;

    @Inject
    MeterRegistry metrics;

    @Inject
    WriterFence fence;

    /** Fault injection for tests: runs right after the next successful commit of a report (a throw there = lost acknowledgement). */
    private volatile Runnable afterCommitFault;
    /** Fault injection for tests: runs before checking a failed commit's outcome. */
    private volatile Runnable verifyFault;

    /** What one transaction is to write, and what its submissions get back once it committed. */
    private static final class Attempt {
        final List<Submission> run;
        final List<ReportRow> reports = new ArrayList<>();
        final List<EngineEvent> events = new ArrayList<>();
        final List<List<Receipt>> receipts = new ArrayList<>();
        final DuplicateWindow.Tentative counted;
        long lastReportId;
        long lastSeq;
        /** The engine applied this attempt (its commit must succeed, or the engine is rebuilt). */
        boolean engineApplied;
        List<ListingFeed.Entry> listingChanges = List.of();

        Attempt(List<Submission> run, DuplicateWindow.Tentative counted) {
            this.run = run;
            this.counted = counted;
        }
    }

    /** See {@link EventJournal#injectFaults}. */
    void injectFaults(Runnable afterCommit, Runnable verify) {
        this.afterCommitFault = afterCommit;
        this.verifyFault = verify;
    }

    /** True once a batch found that another instance took over: this one must stop writing. */
    private volatile boolean fencedOut;

    boolean fencedOut() {
        return fencedOut;
    }

    /** Called when this instance (again) becomes the writer. */
    void resetFence() {
        fencedOut = false;
    }

    /** Stores, applies and acknowledges {@code batch}; every submission's future completes. */
    void commit(List<Submission> batch) {
        if (position.rebuildNeeded()) {
            try {
                replayer.rebuild();
            } catch (RuntimeException e) {
                fail(batch, new JournalUnavailableException("could not reload the engine from the database: " + e.getMessage(), e));
                return;
            }
        }
        commitRun(batch, position.nextBatchTime());
    }

    /**
     * Commits {@code run} in one transaction, or isolates what the database refused by halves.
     * Returns null when every submission got its answer, or the outage that stopped the run (its
     * unanswered submissions have failed with it; the caller fails the rest of the batch).
     */
    private JournalUnavailableException commitRun(List<Submission> run, long now) {
        Attempt a = new Attempt(run, window.tentative());
        Exception failure = write(a, now);
        if (failure == null) {
            acknowledge(a, now);
            return null;
        }
        JournalUnavailableException outage = outage(a, failure);
        if (outage != null) {
            fail(run, outage);
            return outage;
        }
        if (run.size() == 1) {
            refuse(run.get(0), failure);
            return null;
        }
        metrics.counter("trustbl.journal.isolations").increment();
        int half = run.size() / 2;
        JournalUnavailableException stopped = commitRun(run.subList(0, half), now);
        if (stopped != null) {
            fail(run.subList(half, run.size()), stopped);
            return stopped;
        }
        return commitRun(run.subList(half, run.size()), now);
    }

    /** Report ids (from the database, in order), duplicates and engine events for {@code a}'s run, stamped with the batch time. */
    private void prepare(Attempt a, long now, long[] ids) {
        int next = 0;
        for (Submission s : a.run) {
            List<Receipt> receipts = new ArrayList<>(s.entries().size());
            for (JournalEntry entry : s.entries()) {
                if (entry instanceof NewReport nr) {
                    long id = ids[next++];
                    Long duplicateOf = a.counted.duplicateOf(nr, now);
                    a.reports.add(new ReportRow(id, nr, now, duplicateOf));
                    receipts.add(new Receipt(id, duplicateOf));
                    a.lastReportId = id;
                    if (duplicateOf == null) {
                        a.counted.count(nr, id, now);
                        a.events.add(new ReportFiled(id, nr.memberId(), nr.ip(), nr.verdict(), nr.strength(), now));
                    }
                } else if (entry instanceof Fact f) {
                    a.events.add(EventRowCodec.at(f.event(), now));
                    receipts.add(new Receipt(0, null));
                }
            }
            a.receipts.add(receipts);
        }
    }

    private static int reportCount(List<Submission> run) {
        int n = 0;
        for (Submission s : run) {
            for (JournalEntry e : s.entries()) {
                if (e instanceof NewReport) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * One transaction. Returns null when it is durable, else the failure; a failed commit whose
     * answer was lost but which is durable after all counts as durable.
     */
    private Exception write(Attempt a, long now) {
        boolean committing = false;
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                fence.check(c, now);
                prepare(a, now, store.nextReportIds(c, reportCount(a.run)));
                a.lastSeq = store.insert(c, a.reports, a.events);
                a.engineApplied = true;
                a.listingChanges = replayer.applyAndRecord(c, a.events);
                committing = true;
                c.commit();
                // only a batch that stores a report: traffic and timer batches of other tests must not take it
                Runnable fault = a.reports.isEmpty() ? null : afterCommitFault;
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
                if (!(e instanceof SQLException) && !(e instanceof WriterFence.FencedOutException)) {
                    LOG.error("journal batch failed before its commit", e); // a bug, not the database
                }
                return a.engineApplied ? engineAhead(e) : e;
            }
            // the commit failed, or its answer was lost: the batch may be durable all the same
            Boolean stored = storedAfterAll(a);
            if (stored == null || !stored) {
                LOG.warnf(e, "journal commit %s; the engine is rebuilt from the database before the next batch",
                        stored == null ? "outcome unknown" : "failed");
                return engineAhead(e);
            }
            LOG.warnf("journal commit reported a failure (%s) but the batch is durable; applying it", e.getMessage());
        }
        return null;
    }

    /** The engine applied a batch the database may not hold: rebuild before the next one, and answer 503. */
    private JournalUnavailableException engineAhead(Exception e) {
        position.needRebuild();
        return new JournalUnavailableException("the database did not confirm the commit; retry "
                + "(a repeated report counts once): " + e.getMessage(), e);
    }

    /** The 503 for {@code failure} when it means the database cannot store anything now; null otherwise. */
    private JournalUnavailableException outage(Attempt a, Exception failure) {
        if (failure instanceof WriterFence.FencedOutException) {
            fencedOut = true;
            return new JournalUnavailableException("this replica is no longer the journal writer; retry", failure);
        }
        if (failure instanceof JournalUnavailableException unknown) {
            return unknown; // a commit of unknown outcome: resync first, retry later
        }
        if (CommitFailure.of(failure) == CommitFailure.OUTAGE) {
            return new JournalUnavailableException("could not store: " + failure.getMessage(), failure);
        }
        return null;
    }

    /**
     * Whether a commit that failed is durable after all: its last event (or report) is visible
     * from a fresh connection. Null when the database cannot tell us now.
     */
    private Boolean storedAfterAll(Attempt a) {
        try {
            Runnable fault = verifyFault;
            if (fault != null) {
                verifyFault = null;
                fault.run();
            }
            if (a.lastSeq <= 0 && a.reports.isEmpty()) {
                return false; // nothing was written
            }
            return store.isStored(a.lastSeq, a.lastReportId);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not check a failed commit: %s", e.getMessage());
            return null;
        }
    }

    private void acknowledge(Attempt a, long now) {
        position.advanceClock(now);
        position.applied(a.lastSeq);
        a.counted.commit(now);
        replayer.publishCommitted(a.listingChanges);
        for (int i = 0; i < a.run.size(); i++) {
            a.run.get(i).done().complete(a.receipts.get(i));
        }
    }

    /** The submission the database refused on its own: 422 for its data, 503 for anything else. */
    private void refuse(Submission s, Exception failure) {
        metrics.counter("trustbl.journal.refused").increment();
        if (CommitFailure.of(failure) != CommitFailure.DATA) {
            LOG.warnf("journal entry could not be stored on its own (%s)", failure.toString());
            fail(List.of(s), new JournalUnavailableException("could not store: " + failure.getMessage(), failure));
            return;
        }
        LOG.infof("journal entry refused by the database, the rest of its batch committed: %s", failure.getMessage());
        s.done().completeExceptionally(refusal(s.entries(), failure));
    }

    /** Names the field when the text rules can tell which one the database choked on. */
    private static JournalRefusedException refusal(List<JournalEntry> entries, Exception failure) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) instanceof NewReport r) {
                Integer index = entries.size() > 1 ? i : null;
                for (String[] field : new String[][] {{"note", r.note()}, {"category", r.category()}}) {
                    int c = ControlCharacters.firstForbidden(field[0], field[1]);
                    if (c >= 0) {
                        var p = ControlCharacters.violation(field[0], c, index);
                        return new JournalRefusedException(p.getMessage(), field[0], ControlCharacters.RULE, index);
                    }
                }
            }
        }
        String reason = failure.getMessage() == null ? failure.toString() : failure.getMessage().lines().findFirst().orElse("");
        return new JournalRefusedException("the database refused this input, nothing was kept: " + reason, null, "storable", null);
    }

    private void fail(List<Submission> run, JournalUnavailableException failure) {
        for (Submission s : run) {
            s.done().completeExceptionally(failure);
        }
        metrics.counter("trustbl.journal.failures").increment();
    }

    private static void safeRollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction is gone with it
        }
    }
}
