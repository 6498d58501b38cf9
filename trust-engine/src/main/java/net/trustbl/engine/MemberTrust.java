package net.trustbl.engine;

/** A member as the engine sees it. */
public record MemberTrust(long memberId, double trust, int strikes, boolean pinned, boolean suspended,
                          long joinedAtMillis, int confirmedReports) { }
