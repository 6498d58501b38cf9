package net.trustbl.evidence;

import java.time.Instant;

/**
 * What of a report may be shown on a public page (listing explanation, TXT URL target):
 * when, from where, and how the sender introduced itself. Never recipients, reporter or body.
 * The strings are plain text: escape them when rendering.
 *
 * @param subject null unless the member agreed to show it
 */
public record RedactedEvidence(Instant time, String sourceIp, String helo, String rdns, String subject) {
}
