package net.trustbl.common;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * The HTML side of {@link ProblemMapper}: failures rendered as error pages for browsers. The web
 * implements it; this package only knows the interface, so the mapper has no dependency on pages.
 */
public interface ErrorPages {

    /** A service's problem (400..503) as a page with the same status. */
    Response problem(ProblemException e);

    /** The journal could not take a write: 503 page, nothing kept. */
    Response unavailable();

    /** A framework exception (413 body too large, 404 no such page, 405…) as a page; redirects stay as they are. */
    Response webApplication(WebApplicationException e);

    /** A server fault: 500 page (or 503 when the database is down), no details. */
    Response internal(int status);

    /**
     * Whether a request wants an HTML page rather than problem+json: never under {@code /api/} or
     * {@code /q/}; elsewhere (the web pages) unless the client asks for JSON and not for HTML.
     */
    static boolean wantsHtml(String path, String accept) {
        if (path == null || path.startsWith("/api/") || path.startsWith("/q/")) {
            return false;
        }
        if (accept == null || accept.isBlank() || accept.contains("text/html")) {
            return true;
        }
        return !accept.contains("json");
    }
}
