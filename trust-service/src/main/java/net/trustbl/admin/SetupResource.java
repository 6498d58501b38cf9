package net.trustbl.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.common.ProblemException;
import net.trustbl.member.Member;

/** Completes the one-time setup link printed at first start. */
@Path("/api/v1/setup")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SetupResource {

    public record SetupRequest(String token, String email, String password) { }

    public record SetupDone(long id, String email) { }

    @Inject
    AdminBootstrap bootstrap;

    @POST
    public Response setup(SetupRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {token, email, password} is required");
        }
        Member admin = bootstrap.completeSetup(body.token(), body.email(), body.password());
        return Response.status(201).entity(new SetupDone(admin.id, admin.email)).build();
    }
}
