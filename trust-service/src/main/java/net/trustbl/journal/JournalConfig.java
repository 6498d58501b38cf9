package net.trustbl.journal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Bounded start-up and take-over ({@code trustbl.journal.*}): engine snapshots and pruning. */
@ConfigMapping(prefix = "trustbl.journal")
public interface JournalConfig {

    /** How often the writer snapshots the engine. */
    @WithDefault("15m")
    Duration snapshotInterval();

    /** Snapshots kept; journal rows are pruned only up to the oldest one kept. */
    @WithDefault("2")
    int snapshotsKept();

    /**
     * Journal rows younger than this are kept even when a snapshot covers them (operators read
     * them; evidence older than a week weighs nothing). 0 = keep every row.
     */
    @WithDefault("8d")
    Duration pruneAfter();
}
