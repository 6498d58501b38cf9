package net.trustbl.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bodies over {@code quarkus.http.limits.max-body-size} get a problem+json 413 like every other
 * bad input, not Vert.x's bare status: a declared Content-Length over the limit is refused before
 * the body is read, and a body that turns out too big while streaming (chunked) fails with 413,
 * which the failure handler here answers before Quarkus's plain one.
 */
@ApplicationScoped
public class BodyLimitFilter {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    private static final ObjectMapper JSON = new ObjectMapper();

    void install(@Observes Router router) {
        long limit = maxBodySize.asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > limit) {
                        tooLarge(rc, limit);
                        return;
                    }
                } catch (NumberFormatException e) {
                    // a malformed length is the HTTP layer's business
                }
            }
            rc.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            if (rc.statusCode() == 413 && !rc.response().headWritten()) {
                tooLarge(rc, limit);
            } else {
                rc.next();
            }
        });
    }

    private static void tooLarge(RoutingContext rc, long limit) {
        Problem p = new Problem("about:blank", "Payload too large", 413,
                "request body is larger than " + limit + " bytes", "body", "max-size", null);
        String body;
        try {
            body = JSON.writeValueAsString(p);
        } catch (Exception e) {
            body = "{\"status\":413,\"title\":\"Payload too large\"}";
        }
        rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                // the unread body is not drained: close the connection after the answer
                .putHeader(HttpHeaders.CONNECTION, "close").end(body);
    }
}
