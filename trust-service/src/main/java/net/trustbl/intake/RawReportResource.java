package net.trustbl.intake;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.member.Authenticator;
import net.trustbl.member.Caller;

/** A member reports spam by posting the message itself (raw, forwarded as attachment, or ARF). */
@Path("/api/v1/reports/raw")
@Produces(MediaType.APPLICATION_JSON)
public class RawReportResource {

    @Inject
    Authenticator auth;

    @Inject
    RawReportService raw;

    @POST
    @Consumes({"message/rfc822", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    public Response submitRaw(byte[] message, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller c = auth.bearer(authorization);
        return Response.accepted(raw.submitRaw(c.memberId(), message, "email")).build();
    }
}
