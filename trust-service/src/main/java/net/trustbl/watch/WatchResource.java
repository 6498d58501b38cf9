package net.trustbl.watch;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.common.ProblemException;
import net.trustbl.member.Authenticator;

import java.net.URI;
import java.util.List;

/** Sender watch over the API: list, add and remove the networks whose listings the caller is mailed about. */
@Path("/api/v1/watches")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WatchResource {

    /** {@code network}: an address or CIDR block (IPv4 up to a /16, IPv6 up to a /32 by default). */
    public record WatchRequest(String network, String label) { }

    public record WatchList(List<Watch> watches) { }

    @Inject
    Authenticator auth;

    @Inject
    WatchService watches;

    @GET
    public WatchList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return new WatchList(watches.list(auth.bearer(authorization).memberId()));
    }

    @POST
    public Response add(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, WatchRequest body) {
        long memberId = auth.bearer(authorization).memberId();
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {network, label} is required");
        }
        Watch w = watches.add(memberId, body.network(), body.label());
        return Response.created(URI.create("/api/v1/watches/" + w.id())).entity(w).build();
    }

    @DELETE
    @Path("/{id}")
    public Response remove(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") long id) {
        watches.remove(auth.bearer(authorization).memberId(), id);
        return Response.noContent().build();
    }
}
