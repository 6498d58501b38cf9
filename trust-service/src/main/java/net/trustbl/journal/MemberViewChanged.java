package net.trustbl.journal;

/**
 * CDI event: what a member's DNS view depends on changed (query key, personal rules, status).
 * The DNS wiring rebuilds that member's view. Member and rules fire it, and the journal's
 * {@link WriterDirectory} relays it to the other replicas; it lives here, below those features,
 * so that the journal they all write through needs nothing of theirs.
 */
public record MemberViewChanged(long memberId) { }
