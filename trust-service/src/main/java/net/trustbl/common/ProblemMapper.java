package net.trustbl.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into problem+json. Bad input never becomes a 500: parse errors are 400,
 * rule violations 422; only real server faults are 500 (and logged).
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response journal(net.trustbl.journal.JournalUnavailableException e) {
        return ProblemException.unavailable("cannot be stored right now; nothing was kept, retry later", 5).toResponse();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return ProblemException.badRequest("request body is not valid JSON: " + e.getOriginalMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        var v = e.getConstraintViolations().stream().findFirst();
        String field = v.map(c -> {
            String path = c.getPropertyPath().toString();
            int dot = path.lastIndexOf('.');
            return dot >= 0 ? path.substring(dot + 1) : path;
        }).orElse(null);
        String msg = v.map(c -> c.getMessage()).orElse("invalid input");
        return ProblemException.invalid(field, "constraint", field + ": " + msg).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        Throwable cause = e.getCause();
        String detail = cause instanceof JsonProcessingException j
                ? "request body is not valid JSON: " + j.getOriginalMessage()
                : e.getMessage();
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, null, null, null)).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (DatabaseFailures.isDatabaseDown(e)) {
            return ProblemException.unavailable("database unavailable, retry later", 5).toResponse();
        }
        LOG.error("unexpected failure", e);
        return Response.status(500).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", "Internal error", 500, "internal error", null, null, null)).build();
    }
}
