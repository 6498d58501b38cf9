package net.trustbl.evidence;

import java.time.Instant;

/**
 * The facts kept from one reported spam. Everything the trust engine and the duplicate check
 * need; the message itself is not kept.
 *
 * @param sourceIp        the sending host, canonical (dotted quad or RFC 5952 IPv6)
 * @param time            when the member's mail system received it (the deciding Received line,
 *                        ARF Arrival-Date, else the Date header); null when none of them is readable
 * @param subject         decoded subject (RFC 2047 and raw 8-bit); "" when there is none
 * @param subjectSha256   hex SHA-256 of the UTF-8 subject as above
 * @param messageIdSha256 hex SHA-256 of the normalized Message-ID; null when the message has none
 * @param bodySha256      hex SHA-256 of the decoded, line-ending-normalized body parts (for
 *                        duplicates without a Message-ID); null when no body was included
 *                        (ARF with text/rfc822-headers)
 * @param helo            the HELO/EHLO name the source gave, as recorded by the trusted hop; may be null
 * @param rdns            the source's reverse DNS as recorded by the trusted hop; null when unknown
 * @param strength        1.0 when the source is proven by the member's registered mail hosts
 *                        (an ARF Source-IP only when that walk confirms it), 0.5 otherwise
 * @param rule            what decided the source: {@code mailhost-walk}, {@code top-hop},
 *                        {@code arf-source-ip}
 * @param form            how the spam arrived: {@code raw}, {@code attachment}, {@code arf}
 * @param part            which part of the submitted message: "message", "attachment 2", "attachment 1.1"
 * @param note            a human-readable remark (ARF cross-check, weak-evidence reason); may be null
 */
public record ExtractedReport(String sourceIp, Instant time, String subject, String subjectSha256,
                              String messageIdSha256, String bodySha256, String helo, String rdns,
                              double strength, String rule, String form, String part, String note) {

    /**
     * Key for duplicate detection: the Message-ID when there is one, otherwise the body.
     * Prefixed so the two kinds never collide.
     */
    public String duplicateKey() {
        if (messageIdSha256 != null) {
            return "mid:" + messageIdSha256;
        }
        return bodySha256 != null ? "body:" + bodySha256 : "subject:" + subjectSha256 + "@" + sourceIp;
    }

    /** The publicly shown evidence without the subject (the safe default). */
    public RedactedEvidence redacted() {
        return redacted(false);
    }

    /**
     * The publicly shown evidence: time, source, HELO, rDNS and, when asked, the subject.
     * Recipients, reporter and body never leave this record.
     */
    public RedactedEvidence redacted(boolean withSubject) {
        return new RedactedEvidence(time, sourceIp, helo, rdns, withSubject ? subject : null);
    }
}
