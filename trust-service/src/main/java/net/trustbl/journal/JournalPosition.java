package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where the journal stands: its clock, the last stored event the engine applied, and the last
 * report id handed out. Only one thread moves it at a time (the standby follower until it
 * promotes, then the writer thread), so plain fields suffice; thread start orders the hand-over.
 */
@ApplicationScoped
public class JournalPosition {

    /** The journal's clock: never goes back, so replay order and time order agree. */
    private long clock;
    /** Sequence number of the last stored event the engine has applied. */
    private long lastAppliedSeq;
    /** Last report id handed out; the journal is the only writer of reports, so ids come from memory. */
    private long lastReportId;
    /**
     * A commit failed and its outcome could not be checked: before the next batch, ids are re-read
     * from the database and stored events the engine has not seen are replayed.
     */
    private boolean resyncNeeded;

    long clock() {
        return clock;
    }

    /** The time for the next batch: wall time, but never before what the journal already wrote. */
    long nextBatchTime() {
        return Math.max(clock, System.currentTimeMillis());
    }

    void advanceClock(long at) {
        clock = Math.max(clock, at);
    }

    long lastAppliedSeq() {
        return lastAppliedSeq;
    }

    void applied(long seq) {
        if (seq > 0) {
            lastAppliedSeq = seq;
        }
    }

    long lastReportId() {
        return lastReportId;
    }

    void reportIdsUsedUpTo(long id) {
        lastReportId = Math.max(lastReportId, id);
    }

    boolean resyncNeeded() {
        return resyncNeeded;
    }

    void needResync(boolean needed) {
        resyncNeeded = needed;
    }

    /** After a full replay: the journal continues exactly where the database stands. */
    void resetTo(long clock, long lastAppliedSeq, long lastReportId) {
        this.clock = clock;
        this.lastAppliedSeq = lastAppliedSeq;
        this.lastReportId = lastReportId;
        this.resyncNeeded = false;
    }
}
