package net.trustbl.common.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;
import java.util.Map;

/**
 * Completes the scanned OpenAPI document ({@code mp.openapi.filter}): the two security schemes
 * (API keys as Bearer tokens, email and password as HTTP Basic), and for every {@code /api/v1}
 * route the summary, description, security, success status and examples of {@link ApiRoutes}.
 * The HTML pages are not scanned at all ({@code mp.openapi.scan.exclude.packages}).
 */
public class ApiDocsFilter implements OASFilter {

    static final String BEARER = "bearer";
    static final String BASIC = "basic";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        addSecuritySchemes(api.getComponents());
        if (api.getPaths() == null) {
            return;
        }
        for (ApiRoutes.Route route : ApiRoutes.ALL) {
            PathItem item = api.getPaths().getPathItem(route.path());
            Operation op = item == null ? null : item.getOperations().get(PathItem.HttpMethod.valueOf(route.method()));
            if (op != null) {
                describe(op, route);
            }
        }
    }

    private static void addSecuritySchemes(Components components) {
        components.addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key (POST /api/v1/keys, or a scoped machine key from POST /api/v1/admin/keys) "
                        + "sent as Authorization: Bearer <key>."));
        components.addSecurityScheme(BASIC, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("The member's email and password; only for managing API keys."));
    }

    private static void describe(Operation op, ApiRoutes.Route route) {
        op.setSummary(route.summary());
        op.setDescription(route.description());
        op.setTags(List.of(route.tag()));
        op.setSecurity(security(route.auth()));
        if (route.requestExample() != null && op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
            MediaType json = op.getRequestBody().getContent().getMediaType("application/json");
            if (json != null) {
                json.setExample(parse(route.requestExample()));
            }
        }
        op.setResponses(responses(op.getResponses(), route));
        if (op.getParameters() != null) {
            op.getParameters().stream().filter(p -> PATH_EXAMPLES.containsKey(p.getName()))
                    .forEach(p -> p.setExample(PATH_EXAMPLES.get(p.getName())));
        }
    }

    private static final Map<String, Object> PATH_EXAMPLES = Map.of("id", 42, "ip", "203.0.113.7",
            "alias", "r-8k2m4q", "format", "ip4set");

    /** The scanned document guesses 200 for every method; the real success status replaces it, with its example. */
    private static APIResponses responses(APIResponses scanned, ApiRoutes.Route route) {
        APIResponses responses = OASFactory.createAPIResponses();
        APIResponse guessed = scanned == null ? null : scanned.getAPIResponse("200");
        APIResponse success = OASFactory.createAPIResponse().description(successText(route.status()));
        if (route.responseExample() != null && route.responseExample().startsWith("$TTL")) {
            success.content(OASFactory.createContent().addMediaType("text/plain",
                    OASFactory.createMediaType().example(route.responseExample())));
        } else if (route.responseExample() != null) {
            success.content(OASFactory.createContent().addMediaType("application/json",
                    OASFactory.createMediaType().example(parse(route.responseExample()))));
        } else if (guessed != null && guessed.getContent() != null && route.status() != 204) {
            success.content(guessed.getContent());
        }
        responses.addAPIResponse(String.valueOf(route.status()), success);
        if (route.path().endsWith("/{format}")) {
            responses.addAPIResponse("304", OASFactory.createAPIResponse().description("Unchanged since the ETag in If-None-Match"));
        }
        problems(route).forEach((code, text) -> responses.addAPIResponse(code, OASFactory.createAPIResponse()
                .description(text + " (application/problem+json)")));
        return responses;
    }

    private static Map<String, String> problems(ApiRoutes.Route route) {
        if (route.auth() == ApiRoutes.Auth.NONE) {
            return Map.of("422", "A field breaks a rule (field, rule)", "429", "Too many requests (Retry-After)");
        }
        return Map.of("401", "Missing, unknown or revoked key", "403", "Not allowed (suspended, scope, role)",
                "422", "A field breaks a rule (field, rule)", "429", "Too many requests (Retry-After)");
    }

    private static String successText(int status) {
        return switch (status) {
            case 201 -> "Created";
            case 202 -> "Accepted: journaled, applied in journal order";
            case 204 -> "Done";
            default -> "OK";
        };
    }

    private static List<SecurityRequirement> security(ApiRoutes.Auth auth) {
        return switch (auth) {
            case NONE -> List.of();
            case BEARER -> List.of(OASFactory.createSecurityRequirement().addScheme(BEARER));
            case BASIC -> List.of(OASFactory.createSecurityRequirement().addScheme(BASIC));
            case BEARER_OR_BASIC -> List.of(OASFactory.createSecurityRequirement().addScheme(BEARER),
                    OASFactory.createSecurityRequirement().addScheme(BASIC));
        };
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad example in ApiRoutes: " + json, e);
        }
    }
}
