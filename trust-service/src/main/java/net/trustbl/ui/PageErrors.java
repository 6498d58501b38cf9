package net.trustbl.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.net.URI;

/**
 * HTML error pages for the web UI (the {@link net.trustbl.common.ErrorPages} the one error mapper
 * uses for browsers), plus what every page response carries: the cookies the
 * {@link Visitor} wants to set and strict security headers (no scripts, no framing, no sniffing).
 */
@ApplicationScoped
public class PageErrors implements net.trustbl.common.ErrorPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(Nav nav, int status, String title, String message);
    }

    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    @Inject
    Visitor visitor;

    @Inject
    net.trustbl.common.TrustBlConfig config;

    @ServerExceptionMapper
    public Response page(PageException e) {
        if (e.location() != null) {
            return Response.seeOther(URI.create(e.location())).build();
        }
        Nav nav;
        try {
            nav = visitor.nav("");
        } catch (RuntimeException ignored) {
            nav = visitor.anonymousNav();
        }
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(nav, e.status(), e.title(), e.getMessage()).render()).build();
    }

    /** A service's problem (400/403/404/409/422/429/503) seen on a page: shown as a page, not as JSON. */
    @Override
    public Response problem(net.trustbl.common.ProblemException e) {
        String title = switch (e.status()) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 429 -> "Too many requests";
            case 503 -> "Try again later";
            default -> "Cannot do that";
        };
        return page(new PageException(e.status() >= 500 ? 503 : e.status(), title, e.getMessage()));
    }

    /**
     * A form field over {@code quarkus.http.limits.max-form-attribute-size} (or a body over
     * max-body-size) is refused by Quarkus REST with a bare 413 before the page method runs: say
     * on a page what happened. Any other framework exception keeps its own response.
     */
    @Override
    public Response webApplication(jakarta.ws.rs.WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status == 413) {
            return page(new PageException(413, "Too large",
                    "What you sent is larger than this form accepts. A pasted message may be up to "
                            + (config.evidence().maxMessageSize() / 1024) + " KB; an IP list up to " + config.reports().maxBatch()
                            + " lines. Attach a smaller message, or split the list and send it in parts."));
        }
        if (status == 404) {
            return page(PageException.notFound("There is no page at this address."));
        }
        return e.getResponse(); // redirects, 405, 415…: the framework's own answer
    }

    @Override
    public Response unavailable() {
        return page(new PageException(503, "Try again later", "This could not be stored right now; nothing was kept. Please try again in a minute."));
    }

    @Override
    public Response internal(int status) {
        return status == 503 ? page(new PageException(503, "Try again later", "The database is unavailable. Please try again in a minute."))
                : page(new PageException(500, "Something went wrong", "This page failed on our side; the operators can find it in the log."));
    }

    @ServerResponseFilter
    public void decorate(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/api/") || path.startsWith("/q/")) {
            return;
        }
        for (String c : visitor.pendingCookies()) {
            response.getHeaders().add("Set-Cookie", c);
        }
        var h = response.getHeaders();
        h.putSingle("Content-Security-Policy", CSP);
        h.putSingle("X-Content-Type-Options", "nosniff");
        h.putSingle("X-Frame-Options", "DENY");
        h.putSingle("Referrer-Policy", "same-origin");
        h.putSingle("Cache-Control", "no-store");
    }
}
