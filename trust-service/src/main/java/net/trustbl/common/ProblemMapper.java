package net.trustbl.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one error mapper: every failure becomes problem+json for the API, or an HTML error page
 * ({@link ErrorPages}) for a browser on the web pages, chosen by the request's path and Accept
 * header ({@link ErrorPages#wantsHtml}). Bad input never becomes a 500: parse errors are 400,
 * rule violations 422; only real server faults are 500 (and logged).
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Inject
    Instance<ErrorPages> pages;

    private ErrorPages html(ContainerRequestContext request) {
        if (request == null || !pages.isResolvable()
                || !ErrorPages.wantsHtml(request.getUriInfo().getPath(), request.getHeaderString(HttpHeaders.ACCEPT))) {
            return null;
        }
        return pages.get();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, ContainerRequestContext request) {
        ErrorPages html = html(request);
        return html != null ? html.problem(e) : e.toResponse();
    }

    @ServerExceptionMapper
    public Response journal(JournalUnavailableException e, ContainerRequestContext request) {
        ErrorPages html = html(request);
        return html != null ? html.unavailable()
                : ProblemException.unavailable("cannot be stored right now; nothing was kept, retry later", 5).toResponse();
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
    public Response web(WebApplicationException e, ContainerRequestContext request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        ErrorPages html = html(request);
        if (html != null) {
            return html.webApplication(e);
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
    public Response unexpected(RuntimeException e, ContainerRequestContext request) {
        boolean down = DatabaseFailures.isDatabaseDown(e);
        if (!down) {
            LOG.error("unexpected failure", e);
        }
        ErrorPages html = html(request);
        if (html != null) {
            return html.internal(down ? 503 : 500);
        }
        if (down) {
            return ProblemException.unavailable("database unavailable, retry later", 5).toResponse();
        }
        return Response.status(500).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", "Internal error", 500, "internal error", null, null, null)).build();
    }
}
