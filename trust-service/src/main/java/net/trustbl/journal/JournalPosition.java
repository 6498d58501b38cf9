package net.trustbl.journal;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where the journal stands: its clock and the last stored event the engine applied. Only one
 * thread moves it at a time (the standby follower until it promotes, then the writer thread), so
 * plain fields suffice; thread start orders the hand-over.
 */
@ApplicationScoped
public class JournalPosition {

    /** The journal's clock: never goes back, so replay order and time order agree. */
    private long clock;
    /** Sequence number of the last stored event the engine has applied. */
    private long lastAppliedSeq;
    /**
     * A batch was applied to the engine but its commit failed or could not be confirmed: before
     * the next batch the engine is rebuilt from what the database holds.
     */
    private boolean rebuildNeeded;

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

    boolean rebuildNeeded() {
        return rebuildNeeded;
    }

    void needRebuild() {
        rebuildNeeded = true;
    }

    /** After a replay: the journal continues exactly where the database stands. */
    void resetTo(long clock, long lastAppliedSeq) {
        this.clock = clock;
        this.lastAppliedSeq = lastAppliedSeq;
        this.rebuildNeeded = false;
    }
}
