package net.trustbl.member;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.common.AuditLog;
import net.trustbl.cluster.ClientAddress;
import net.trustbl.common.ProblemException;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.engine.MemberTrust;
import net.trustbl.trust.TrustEngineHost;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Registration, the caller's own account, and API keys. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MemberResource {

    public record Registration(String email, String password) { }

    public record Registered(long id, String queryKey) { }

    public record KeyRequest(String label) { }

    public record KeyCreated(long id, String key, String label) { }

    /** {@code scope}: null for a full key; an admin's scoped machine keys are listed with theirs. */
    public record KeyInfo(long id, String label, String scope, String prefix, Instant createdAt, Instant lastUsedAt,
                          Instant revokedAt) { }

    public record Me(long id, String email, String role, String status, double trust, boolean trustPinned,
                     int strikes, int confirmedReports, String queryKey, String reportAlias, Instant createdAt) { }

    @Inject
    MemberService members;

    @Inject
    Authenticator auth;

    @Inject
    TrustBlConfig config;

    @Inject
    TrustEngineHost engine;

    @Inject
    AuditLog audit;

    @Inject
    RegistrationThrottle registrations;

    @Inject
    ClientAddress clientAddress;

    @POST
    @Path("/members")
    public Response register(Registration body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @Context HttpServerRequest request) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {email, password} is required");
        }
        Caller admin = null;
        if (authorization != null || !config.registration().open()) {
            // an admin creating members (always allowed; the only way while registration is closed)
            admin = auth.bearer(authorization);
            if (!admin.isAdmin()) {
                throw ProblemException.forbidden(config.registration().open()
                        ? "only an admin key may be sent with a registration" : "open registration is turned off; ask an admin");
            }
        } else {
            registrations.charge(clientAddress.of(request));
        }
        // an administrator vouches for the members it creates: they count as confirmed
        Member m = members.register(body.email(), body.password(), Member.ROLE_MEMBER, admin != null);
        if (admin != null) {
            audit.record(admin.memberId(), "create-member", "member:" + m.id, "created by an admin (confirmed); email=" + m.email);
        }
        return Response.created(URI.create("/api/v1/members/" + m.id)).entity(new Registered(m.id, m.queryKey)).build();
    }

    @GET
    @Path("/me")
    public Me me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller c = auth.bearer(authorization);
        Member m = members.requireMember(c.memberId());
        MemberTrust t = engine.member(m.id);
        return new Me(m.id, m.email, m.role, m.status, t == null ? m.trust : t.trust(), t != null && t.pinned(),
                t == null ? m.strikes : t.strikes(), t == null ? 0 : t.confirmedReports(), m.queryKey, m.reportAlias,
                m.createdAt);
    }

    @POST
    @Path("/keys")
    public Response createKey(KeyRequest body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @Context HttpServerRequest request) {
        Caller c = auth.basic(authorization, client(request));
        MemberService.NewKey k = members.createKey(c, body == null ? null : body.label());
        return Response.created(URI.create("/api/v1/keys/" + k.id())).entity(new KeyCreated(k.id(), k.key(), k.label())).build();
    }

    @GET
    @Path("/keys")
    public List<KeyInfo> keys(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @Context HttpServerRequest request) {
        Caller c = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                ? auth.basic(authorization, client(request)) : auth.bearer(authorization);
        return members.keys(c.memberId()).stream()
                .map(k -> new KeyInfo(k.id, k.label, k.scope, k.keyPrefix, k.createdAt, k.lastUsedAt, k.revokedAt)).toList();
    }

    @DELETE
    @Path("/keys/{id}")
    public Response revoke(@PathParam("id") long id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @Context HttpServerRequest request) {
        Caller c = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                ? auth.basic(authorization, client(request)) : auth.bearer(authorization);
        members.revokeKey(c, id);
        return Response.noContent().build();
    }

    private String client(HttpServerRequest request) {
        return clientAddress.of(request);
    }

    /** The member's new report address alias ({@code reportAlias}); the old address stops working. */
    public record NewAlias(long id, String reportAlias) { }

    @POST
    @Path("/me/report-alias")
    public NewAlias regenerateReportAlias(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller c = auth.bearer(authorization);
        return new NewAlias(c.memberId(), members.regenerateReportAlias(c.memberId()));
    }

    @POST
    @Path("/me/query-key")
    public Registered regenerateQueryKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller c = auth.bearer(authorization);
        return new Registered(c.memberId(), members.regenerateQueryKey(c.memberId()));
    }
}
