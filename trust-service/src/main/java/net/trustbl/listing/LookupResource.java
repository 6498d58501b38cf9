package net.trustbl.listing;

import net.trustbl.address.ReturnCode;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import net.trustbl.common.ProblemException;
import net.trustbl.engine.Explanation;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.TrustedSender;
import net.trustbl.trust.TrustEngineHost;

import java.time.Instant;
import java.util.List;

/** Public lookup: is this address listed, and why. No authentication: blocked senders use it. */
@Path("/api/v1/lookup")
@Produces(MediaType.APPLICATION_JSON)
public class LookupResource {

    public record Evidence(int spamReports, int positiveReports, int trapHits, long lookups,
                           Instant firstEvidence, Instant lastEvidence, boolean heldForModeration) { }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    /**
     * {@code threshold}: the volume threshold (1.0, raised only by many client networks' lookups);
     * {@code bar}: what the score must reach now (lower for a sender without a clean record);
     * {@code excludedFrom}: the listed block a moderator excluded this address from (null: none).
     */
    public record LookupResult(String ip, boolean listed, String returnCode, double score, double threshold,
                               Evidence evidence, Instant listedSince, Instant expiresAt, String reason,
                               List<EvidenceSamples.Sample> samples, double bar, Trusted trusted, String excludedFrom) { }

    /** Trusted-sender status (the allow zone; null when not trusted): the 127.0.10.x answer, why, since when. */
    public record Trusted(String returnCode, String reason, Instant since) { }

    @Inject
    ListingService listings;

    @Inject
    EvidenceSamples evidence;

    @Inject
    TrustEngineHost engine;

    @GET
    @Path("/{ip: .+}")
    public LookupResult lookup(@PathParam("ip") String ip) {
        IpBlock block;
        try {
            block = IpBlock.parse(ip);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("ip", "format", e.getMessage());
        }
        IpBlock excludedFrom = listings.excludedFrom(block);
        return toResult(block, listings.explain(block), evidence.latest(block.toString(), 5), engine.trustedSender(block),
                excludedFrom == null ? null : excludedFrom.toString());
    }

    /** {@code samples}: the latest redacted evidence (forwarded messages' arrival, HELO, rDNS). */
    static LookupResult toResult(IpBlock block, Explanation x, List<EvidenceSamples.Sample> samples, TrustedSender trusted,
                                 String excludedFrom) {
        return new LookupResult(block.toString(), x.listed(), x.listed() ? ReturnCode.listedAddress(x.returnCode()) : null,
                round(x.score()), round(x.threshold()),
                new Evidence(x.spamReports(), x.positiveReports(), x.trapHits(), x.lookups(),
                        instant(x.firstEvidenceMillis()), instant(x.lastEvidenceMillis()), x.heldForModeration()),
                instant(x.listedSinceMillis()), instant(x.expiresAtMillis()), x.reason(), samples, round(x.bar()),
                trusted == null ? null : new Trusted(ReturnCode.trustedAddress(trusted.code()), trusted.reason(), instant(trusted.sinceMillis())),
                excludedFrom);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static Instant instant(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis);
    }
}
