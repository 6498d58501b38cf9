package net.trustbl.lookup;

import net.trustbl.address.ReturnCode;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import net.trustbl.common.ProblemException;
import net.trustbl.engine.Explanation;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.TrustedSender;
import net.trustbl.member.Authenticator;
import net.trustbl.listing.EvidenceSamples;
import net.trustbl.listing.ListingService;
import net.trustbl.trust.TrustEngineHost;

import java.time.Instant;
import java.util.List;

/**
 * Public lookup: is this address listed, and why. No authentication: blocked senders use it. The
 * evidence of an address that is not listed is withheld from all but admins ({@link EvidenceDisclosure}).
 */
@Path("/api/v1/lookup")
@Produces(MediaType.APPLICATION_JSON)
public class LookupResource {

    /** The counts and times are null where the evidence is withheld ({@link EvidenceDisclosure}). */
    public record Evidence(Integer spamReports, Integer positiveReports, Integer trapHits, long lookups,
                           Instant firstEvidence, Instant lastEvidence, boolean heldForModeration) { }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    /**
     * {@code threshold}: the volume threshold (1.0, raised only by many client networks' lookups);
     * {@code bar}: what the score must reach now (lower for a sender without a clean record);
     * {@code excludedFrom}: the listed block a moderator excluded this address from (null: none);
     * {@code evidenceWithheld}: the address is not listed, so its score, bar, report and trap counts,
     * evidence times and samples are not published (null, empty) unless an admin's key asks
     * ({@link EvidenceDisclosure}).
     */
    public record LookupResult(String ip, boolean listed, String returnCode, Double score, double threshold,
                               Evidence evidence, Instant listedSince, Instant expiresAt, String reason,
                               List<EvidenceSamples.Sample> samples, Double bar, Trusted trusted, String excludedFrom,
                               boolean evidenceWithheld) { }

    /** Trusted-sender status (the allow zone; null when not trusted): the 127.0.10.x answer, why, since when. */
    public record Trusted(String returnCode, String reason, Instant since) { }

    @Inject
    ListingService listings;

    @Inject
    EvidenceSamples evidence;

    @Inject
    TrustEngineHost engine;

    @Inject
    Authenticator auth;

    @GET
    @Path("/{ip: .+}")
    public LookupResult lookup(@PathParam("ip") String ip, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        // no key: the public view; a key must be valid (401/403 otherwise), and only an admin's shows withheld evidence
        boolean admin = authorization != null && auth.bearer(authorization).isAdmin();
        IpBlock block;
        try {
            block = IpBlock.parse(ip);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("ip", "format", e.getMessage());
        }
        IpBlock excludedFrom = listings.excludedFrom(block);
        Explanation x = listings.explain(block);
        boolean withheld = !admin && EvidenceDisclosure.withheld(x);
        return toResult(block, x, withheld ? List.of() : evidence.latest(block.toString(), 5), engine.trustedSender(block),
                excludedFrom == null ? null : excludedFrom.toString(), withheld);
    }

    /** {@code samples}: the latest redacted evidence (forwarded messages' arrival, HELO, rDNS). */
    static LookupResult toResult(IpBlock block, Explanation x, List<EvidenceSamples.Sample> samples, TrustedSender trusted,
                                 String excludedFrom, boolean withheld) {
        Evidence ev = withheld
                ? new Evidence(null, null, null, x.lookups(), null, null, x.heldForModeration())
                : new Evidence(x.spamReports(), x.positiveReports(), x.trapHits(), x.lookups(),
                        instant(x.firstEvidenceMillis()), instant(x.lastEvidenceMillis()), x.heldForModeration());
        return new LookupResult(block.toString(), x.listed(), x.listed() ? ReturnCode.listedAddress(x.returnCode()) : null,
                withheld ? null : round(x.score()), round(x.threshold()), ev,
                instant(x.listedSinceMillis()), instant(x.expiresAtMillis()),
                withheld ? EvidenceDisclosure.publicReason(x) : x.reason(), samples, withheld ? null : round(x.bar()),
                trusted == null ? null : new Trusted(ReturnCode.trustedAddress(trusted.code()), trusted.reason(), instant(trusted.sinceMillis())),
                excludedFrom, withheld);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static Instant instant(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis);
    }
}
