package net.trustbl.ui;

import net.trustbl.lookup.AddressFacts;
import net.trustbl.lookup.AddressFacts.BlockListing;
import net.trustbl.lookup.AddressFacts.ReverseName;
import net.trustbl.lookup.AddressFacts.SourceCount;
import net.trustbl.listing.EvidenceSamples;

import java.util.List;

/** The lookup page's {@link AddressFacts} as the page shows them: numbers and times formatted. */
public record LookupView(String ip, boolean listed, String returnCode, String meaning, String score, String threshold,
                         String since, String expires, String expiresIn, int spamReports, int positiveReports,
                         int trapHits, long lookups, String firstEvidence, String lastEvidence, boolean held,
                         boolean testPoint, String classNote, List<SourceCount> sources, List<Sample> samples,
                         List<Change> history, int openRequests, boolean showSubject, String reason,
                         BlockListing blockListing, ReverseName reverseName, Trusted trusted, String excludedFrom,
                         boolean evidenceWithheld) {

    /** One forwarded spam, with personal data removed. */
    public record Sample(String receivedAt, String subject, String helo, String rdns) { }

    /** A past listing change of this address. */
    public record Change(String at, String change, String returnCode) { }

    /** Trusted-sender status (the allow zone): its 127.0.10.x answer, why and since when. */
    public record Trusted(String returnCode, String reason, String since) { }

    static LookupView of(AddressFacts f) {
        List<Sample> samples = f.samples().stream()
                .map((EvidenceSamples.Sample e) -> new Sample(Fmt.day(e.receivedAt()), e.subject(), e.helo(), e.rdns())).toList();
        List<Change> history = f.history().stream()
                .map(c -> new Change(Fmt.time(c.at()), c.change(), c.returnCode())).toList();
        AddressFacts.Trusted t = f.trusted();
        Trusted trusted = t == null ? null : new Trusted(t.returnCode(), t.reason(), Fmt.time(t.sinceMillis()));
        return new LookupView(f.ip(), f.listed(), f.returnCode(), f.meaning(), Fmt.num(f.score()), Fmt.num(f.threshold()),
                Fmt.time(f.listedSinceMillis()), Fmt.time(f.expiresAtMillis()), Fmt.relative(f.expiresAtMillis(), f.readAtMillis()),
                f.spamReports(), f.positiveReports(), f.trapHits(), f.lookups(), Fmt.time(f.firstEvidenceMillis()),
                Fmt.time(f.lastEvidenceMillis()), f.held(), f.testPoint(), f.classNote(), f.sources(), samples, history,
                f.openRequests(), f.showSubject(), f.reason(), f.blockListing(), f.reverseName(), trusted, f.excludedFrom(),
                f.evidenceWithheld());
    }

    public String delistingAction() {
        return "/lookup/" + ip + "/delisting";
    }

    public String exclusionAction() {
        return "/lookup/" + ip + "/exclusion";
    }
}
