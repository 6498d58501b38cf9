package net.trustbl.common;

import jakarta.ws.rs.core.Response;

/** A client-visible failure, rendered as problem+json by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;
    private final String rule;
    private final Integer index;
    private final Long retryAfterSeconds;

    public ProblemException(int status, String title, String detail, String field, String rule, Integer index,
                            Long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
        this.rule = rule;
        this.index = index;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 422: a field broke a rule. */
    public static ProblemException invalid(String field, String rule, String detail) {
        return new ProblemException(422, "Invalid input", detail, field, rule, null, null);
    }

    public static ProblemException invalidAt(int index, String field, String rule, String detail) {
        return new ProblemException(422, "Invalid input", detail, field, rule, index, null);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad request", detail, null, null, null, null);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, null, null, null, null);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, null, null, null, null);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, null, null, null, null);
    }

    public static ProblemException conflict(String field, String detail) {
        return new ProblemException(409, "Conflict", detail, field, "unique", null, null);
    }

    public static ProblemException tooLarge(String field, String rule, String detail) {
        return new ProblemException(413, "Payload too large", detail, field, rule, null, null);
    }

    public static ProblemException rateLimited(long retryAfterSeconds) {
        return new ProblemException(429, "Too many requests",
                "rate limit exceeded; retry after " + retryAfterSeconds + " s", null, "rate-limit", null,
                retryAfterSeconds);
    }

    public static ProblemException unavailable(String detail, long retryAfterSeconds) {
        return new ProblemException(503, "Service unavailable", detail, null, null, null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    /** Seconds after which a retry may succeed (429, 503); null when not said. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), field, rule, index);
    }

    public Response toResponse() {
        Response.ResponseBuilder b = Response.status(status).type(Problem.MEDIA_TYPE).entity(toProblem());
        if (retryAfterSeconds != null) {
            b.header("Retry-After", retryAfterSeconds);
        }
        if (status == 401) {
            b.header("WWW-Authenticate", "Bearer realm=\"trustbl\"");
        }
        return b.build();
    }
}
