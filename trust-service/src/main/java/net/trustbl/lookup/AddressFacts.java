package net.trustbl.lookup;

import net.trustbl.listing.EvidenceSamples;

import java.time.Instant;
import java.util.List;

/**
 * Everything the lookup page says about one address, as numbers and instants (the page formats
 * them). Times are epoch milliseconds, 0 when there is none; {@code readAtMillis} is when the facts
 * were read (what "expires in" counts from). {@code returnCode} is the DNS answer when listed.
 * {@code evidenceWithheld}: the public view of an address that is not listed ({@link #forPublic}).
 */
public record AddressFacts(String ip, boolean listed, String returnCode, String meaning, double score, double threshold,
                           long listedSinceMillis, long expiresAtMillis, long readAtMillis, int spamReports,
                           int positiveReports, int trapHits, long lookups, long firstEvidenceMillis, long lastEvidenceMillis,
                           boolean held, boolean testPoint, String classNote, List<SourceCount> sources,
                           List<EvidenceSamples.Sample> samples, List<Change> history, int openRequests, boolean showSubject,
                           String reason, BlockListing blockListing, ReverseName reverseName, Trusted trusted,
                           String excludedFrom, boolean evidenceWithheld) {

    /** Counts of reports by where they came from. */
    public record SourceCount(String source, long count) { }

    /** A past listing change of this address; {@code returnCode} empty for a removal. */
    public record Change(Instant at, String change, String returnCode) { }

    /**
     * A listing that comes from a block around the address: the block, and the listed addresses
     * inside it that caused it; {@code excludable} when the address is a single one (its sender
     * may ask a moderator to exclude it from the block listing).
     */
    public record BlockListing(String block, List<String> causes, boolean excludable) { }

    /** Trusted-sender status (the allow zone): its 127.0.10.x answer, why and since when (epoch milliseconds). */
    public record Trusted(String returnCode, String reason, long sinceMillis) { }

    /** The address's reverse DNS; {@code name} null when it has none. */
    public record ReverseName(String name, boolean forwardConfirmed) { }

    /** The same facts with the address's reverse DNS. */
    AddressFacts withReverseName(ReverseName name) {
        return new AddressFacts(ip, listed, returnCode, meaning, score, threshold, listedSinceMillis, expiresAtMillis, readAtMillis,
                spamReports, positiveReports, trapHits, lookups, firstEvidenceMillis, lastEvidenceMillis, held, testPoint, classNote,
                sources, samples, history, openRequests, showSubject, reason, blockListing, name, trusted, excludedFrom,
                evidenceWithheld);
    }

    /**
     * The facts anyone may read ({@link EvidenceDisclosure}): for an address that is not listed, no
     * score, bar, report or trap counts, evidence times, sources nor samples, and a reason line that
     * names none of them. Listed addresses and test points are shown whole.
     */
    public AddressFacts forPublic() {
        if (listed || testPoint || evidenceWithheld) {
            return this;
        }
        return new AddressFacts(ip, listed, returnCode, meaning, 0, threshold, listedSinceMillis, expiresAtMillis, readAtMillis,
                0, 0, 0, lookups, 0, 0, held, testPoint, classNote, List.of(), List.of(), history, openRequests, showSubject,
                EvidenceDisclosure.publicReason(listed, held, reason), blockListing, reverseName, trusted, excludedFrom, true);
    }
}
