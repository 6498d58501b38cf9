package net.trustbl.common;

import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import java.util.List;
import java.util.Map;

/**
 * Applies {@link ControlCharacters} to every form field (web pages), query parameter and path
 * parameter before any resource method runs, so that no page handler has to remember it. The
 * form is read before this filter ({@link WithFormRead}). A refusal is a {@link ProblemException}:
 * problem+json on the API, the usual HTML error page (422, naming the field) on the web pages.
 * JSON bodies are checked by {@link ControlCharacterReader}.
 */
public class ControlCharacterFilter {

    @ServerRequestFilter
    @WithFormRead
    public void check(ResteasyReactiveContainerRequestContext request) {
        checkAll(request.getUriInfo().getPathParameters());
        checkAll(request.getUriInfo().getQueryParameters());
        if (request.getServerRequestContext() instanceof ResteasyReactiveRequestContext rr) {
            FormData form = rr.getFormData();
            if (form != null) {
                checkForm(form);
            }
        }
    }

    private static void checkAll(MultivaluedMap<String, String> params) {
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            for (String v : p.getValue()) {
                ControlCharacters.check(p.getKey(), v);
            }
        }
    }

    private static void checkForm(FormData form) {
        for (String name : form) {
            for (FormValue v : form.get(name)) {
                if (!v.isFileItem()) { // uploaded files are messages, not text fields
                    ControlCharacters.check(name, v.getValue());
                }
            }
        }
    }
}
