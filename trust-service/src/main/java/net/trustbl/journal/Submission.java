package net.trustbl.journal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's entries (one request) on their way through the journal: they are committed
 * together or not at all, and {@code done} completes with a receipt per entry.
 */
record Submission(List<JournalEntry> entries, CompletableFuture<List<Receipt>> done) { }
