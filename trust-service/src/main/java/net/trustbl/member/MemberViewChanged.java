package net.trustbl.member;

/**
 * CDI event: what a member's DNS view depends on changed (query key, personal rules, status).
 * The DNS wiring rebuilds that member's view.
 */
public record MemberViewChanged(long memberId) { }
