package net.trustbl.ui;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** Rendered pages and redirects. */
final class Html {

    static final MediaType TYPE = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    private Html() {
    }

    static Response page(TemplateInstance t) {
        return page(200, t);
    }

    static Response page(int status, TemplateInstance t) {
        return Response.status(status).type(TYPE).entity(t.render()).build();
    }

    /** 303 See Other: after a POST the browser GETs the result (no resubmission on reload). */
    static Response redirect(String location) {
        return Response.seeOther(URI.create(location)).build();
    }

    /** Only local paths: a crafted ?next= never sends a member to another site. */
    static String safeNext(String next, String fallback) {
        if (next == null || next.isEmpty() || next.length() > 500 || !next.startsWith("/") || next.startsWith("//")
                || next.startsWith("/\\") || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return fallback;
        }
        // the redirect goes through URI.create: what it cannot parse ("|", "{", a bad %-escape) would be a 500
        try {
            java.net.URI u = new java.net.URI(next);
            if (u.getScheme() != null || u.getRawAuthority() != null) {
                return fallback;
            }
        } catch (java.net.URISyntaxException e) {
            return fallback;
        }
        return next;
    }
}
