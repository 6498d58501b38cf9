package net.trustbl.journal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Bounded start-up and take-over ({@code trustbl.journal.*}): engine snapshots, pruning, traffic roll-up. */
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

    /**
     * DNS lookup counts are journaled once per address per this interval (the first count of a
     * new address at once): the journal grows with the addresses looked up per interval, not per
     * minute. Counts held are lost on a crash (at most one interval of a volume signal).
     */
    @WithDefault("1h")
    Duration trafficInterval();

    /**
     * A new address's counts (in the interval of its first sight and the next) are journaled
     * every this often rather than at the interval's end: its first reports are judged against
     * its lookups, and an hour's wait held real spam's first reports for a moderator. At most
     * {@code traffic-interval / this} more rows per new address, for its first two intervals.
     */
    @WithDefault("10m")
    Duration newAddressTrafficInterval();
}
