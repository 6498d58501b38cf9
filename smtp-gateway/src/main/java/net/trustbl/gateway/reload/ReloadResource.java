package net.trustbl.gateway.reload;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * POST /console/reload on the loopback console: reloads now and answers what changed, or, as
 * problem+json (422), why the files cannot be used while the running configuration stays.
 */
@Path("/console/reload")
public class ReloadResource {

    static final String PROBLEM_JSON = "application/problem+json";

    private final GatewayReloader reloader;

    public ReloadResource(GatewayReloader reloader) {
        this.reloader = reloader;
    }

    @POST
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    public Response reload() {
        ReloadOutcome outcome = reloader.reload("console");
        if (outcome.applied()) {
            return Response.ok(outcome, MediaType.APPLICATION_JSON).build();
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Configuration not reloaded");
        problem.put("status", 422);
        problem.put("detail", "the running configuration stays: " + String.join("; ", outcome.problems()));
        problem.put("problems", outcome.problems());
        problem.put("files", outcome.files());
        problem.put("at", outcome.at().toString());
        return Response.status(422).type(PROBLEM_JSON).entity(problem).build();
    }
}
