package net.trustbl.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import net.trustbl.common.ProblemException;
import net.trustbl.engine.MemberTrust;
import net.trustbl.member.Authenticator;
import net.trustbl.member.Caller;
import net.trustbl.member.MemberService;
import net.trustbl.trust.TrustEngineHost;

/** Admin-only API: trust pinning and suspension. Every call is authorized and audited. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    public record TrustPin(Double trust, Boolean pinned) { }

    public record TrustState(long memberId, double trust, boolean pinned, int strikes) { }

    public record Suspension(boolean suspended) { }

    @Inject
    Authenticator auth;

    @Inject
    MemberService members;

    @Inject
    TrustEngineHost engine;

    @PUT
    @Path("/members/{id}/trust")
    public TrustState pinTrust(@PathParam("id") long id, TrustPin body,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller admin = auth.admin(authorization);
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {trust, pinned} is required");
        }
        boolean pinned = body.pinned() == null || body.pinned();
        members.pinTrust(admin, id, body.trust(), pinned);
        MemberTrust t = engine.member(id);
        return new TrustState(id, t == null ? 0 : t.trust(), t != null && t.pinned(), t == null ? 0 : t.strikes());
    }

    @POST
    @Path("/members/{id}/suspension")
    public Suspension suspend(@PathParam("id") long id, Suspension body,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller admin = auth.admin(authorization);
        boolean suspended = body == null || body.suspended();
        if (suspended && id == admin.memberId()) {
            throw new ProblemException(409, "Conflict", "an administrator cannot suspend itself (as on the members page)", null, "self", null, null);
        }
        members.setSuspended(admin, id, suspended);
        return new Suspension(suspended);
    }
}
