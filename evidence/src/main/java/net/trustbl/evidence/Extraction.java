package net.trustbl.evidence;

import java.util.List;

/**
 * What one submitted message yielded: a report per spam found, and a reason per part that
 * yielded none. Both lists may be non-empty (two attachments, one without Received headers).
 */
public record Extraction(List<ExtractedReport> reports, List<String> errors) {

    public Extraction {
        reports = List.copyOf(reports);
        errors = List.copyOf(errors);
    }

    /** One line for an HTTP 422 (or an SMTP reply) when nothing could be extracted. */
    public String errorSummary() {
        return errors.isEmpty() ? "no spam found in the message" : String.join("; ", errors);
    }
}
