package net.trustbl.intake;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.common.ProblemException;
import net.trustbl.member.Authenticator;
import net.trustbl.member.Caller;
import net.trustbl.member.KeyScope;
import net.trustbl.member.Member;

import java.util.List;

/**
 * Reports by mail: members register their mail hosts here and post messages to
 * {@link RawReportResource}; the gateway in
 * report-intake mode hands over mail sent to {@code <alias>@reports.<domain>} ({@code /intake/…},
 * keys with scope {@code intake}, or admin keys).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class IntakeResource {

    public record MailhostList(List<String> hosts) { }

    public record Alias(String alias, long memberId) { }

    @Inject
    Authenticator auth;

    @Inject
    RawReportService raw;

    @Inject
    MailhostService mailhosts;

    @GET
    @Path("/mailhosts")
    public MailhostList getMailhosts(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return new MailhostList(mailhosts.get(auth.bearer(authorization).memberId()));
    }

    @PUT
    @Path("/mailhosts")
    @Consumes(MediaType.APPLICATION_JSON)
    public MailhostList putMailhosts(MailhostList body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller c = auth.bearer(authorization);
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {hosts: [...]} is required");
        }
        return new MailhostList(mailhosts.put(c.memberId(), body.hosts()));
    }

    @GET
    @Path("/intake/aliases/{alias}")
    public Alias alias(@PathParam("alias") String alias, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        requireIntake(authorization);
        return new Alias(alias, memberByAlias(alias).id);
    }

    @POST
    @Path("/intake/raw/{alias}")
    @Consumes({"message/rfc822", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    public Response intake(@PathParam("alias") String alias, byte[] message,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        requireIntake(authorization);
        return Response.accepted(raw.submitRaw(memberByAlias(alias).id, message, "email")).build();
    }

    /** The gateway files reports in members' names, so only an {@code intake} key (or an admin key) may. */
    private void requireIntake(String authorization) {
        auth.machine(authorization, KeyScope.INTAKE);
    }

    @Transactional
    Member memberByAlias(String alias) {
        String a = alias == null ? "" : alias.trim().toLowerCase(java.util.Locale.ROOT);
        Member m = a.matches("[a-z2-7]{1,32}") ? Member.find("reportAlias", a).firstResult() : null;
        if (m == null || !m.isActive()) {
            throw ProblemException.notFound("no such report address");
        }
        return m;
    }
}
