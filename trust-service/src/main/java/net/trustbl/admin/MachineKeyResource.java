package net.trustbl.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.common.AuditLog;
import net.trustbl.common.ProblemException;
import net.trustbl.member.ApiKeyIssuer;
import net.trustbl.member.Authenticator;
import net.trustbl.member.Caller;
import net.trustbl.member.KeyScope;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Scoped machine keys (least privilege for the operator's machines): a standalone DNS responder
 * gets a {@code traffic} key, the intake gateway an {@code intake} key, the trap network a
 * {@code trap-feed} key, instead of a full admin key that could do anything. Only admins make
 * them; the key belongs to the admin who made it (suspending that admin stops it) and is revoked
 * like any key, {@code DELETE /api/v1/keys/{id}}.
 */
@Path("/api/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MachineKeyResource {

    public record MachineKeyRequest(String scope, String label) { }

    public record MachineKeyCreated(long id, String key, String label, String scope) { }

    public record MachineKeyInfo(long id, long ownerId, String label, String scope, String prefix, Instant createdAt,
                                 Instant lastUsedAt, Instant revokedAt) { }

    @Inject
    Authenticator auth;

    @Inject
    ApiKeyIssuer issuer;

    @Inject
    AuditLog audit;

    @POST
    public Response create(MachineKeyRequest body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller admin = auth.admin(authorization);
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {scope, label} is required");
        }
        if (body.scope() == null || body.scope().isBlank()) {
            throw ProblemException.invalid("scope", "required", "scope is required: one of " + KeyScope.names());
        }
        KeyScope scope = KeyScope.parse(body.scope()).orElseThrow(() ->
                ProblemException.invalid("scope", "one-of", "scope must be one of " + KeyScope.names()));
        ApiKeyIssuer.NewKey k = issuer.issue(admin.memberId(), body.label(), scope);
        audit.record(admin.memberId(), "create-machine-key", "key:" + k.id(), "scope=" + scope.wireName() + " label=" + k.label());
        return Response.created(URI.create("/api/v1/keys/" + k.id()))
                .entity(new MachineKeyCreated(k.id(), k.key(), k.label(), scope.wireName())).build();
    }

    @GET
    public List<MachineKeyInfo> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        auth.admin(authorization);
        return issuer.scopedKeys().stream().map(k -> new MachineKeyInfo(k.id, k.memberId, k.label, k.scope, k.keyPrefix,
                k.createdAt, k.lastUsedAt, k.revokedAt)).toList();
    }
}
