package net.trustbl.rules;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import net.trustbl.member.Authenticator;

/** A member's personal rules, served in DNS under its query key: {@code <ip>.<key>.<zone>}. */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PersonalRulesResource {

    @Inject
    Authenticator auth;

    @Inject
    PersonalRulesService rules;

    @GET
    public PersonalRules get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return rules.get(auth.bearer(authorization).memberId());
    }

    @PUT
    public PersonalRules put(PersonalRules body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return rules.put(auth.bearer(authorization).memberId(), body);
    }
}
