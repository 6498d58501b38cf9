package net.trustbl.rules;

/**
 * An active member's personal rules as the DNS responder serves them: under its query key.
 *
 * @param memberId the member
 * @param queryKey the DNS query key its view answers under
 * @param rules    its threshold (null = the network's) and allow / deny lists
 */
public record ServedRules(long memberId, String queryKey, PersonalRules rules) { }
