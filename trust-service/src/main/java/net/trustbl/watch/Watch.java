package net.trustbl.watch;

import java.time.Instant;

/** One watched network of a member. */
public record Watch(long id, long memberId, String network, String label, Instant createdAt) { }
