package net.trustbl.gateway.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.client.TrustServiceHttp;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.transaction.MessageContent;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Report intake mode: the gateway is the MX of the trust-service's report domain. RCPT
 * {@code <alias>@reports.<domain>} is checked against the service, and the message is handed over
 * to its raw-report endpoint; the client gets 250 only when the service answered 2xx, 550 with
 * the service's reason on 4xx, 451 on 5xx, on 401/403 (the gateway's key is wrong: our problem,
 * not the reporter's) or when the service cannot be reached.
 */
@ApplicationScoped
public class IntakeClient {

    private static final Logger LOG = Logger.getLogger(IntakeClient.class);
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    private final Vertx vertx;
    private final TrustServiceHttp service;
    private final ObjectMapper json = new ObjectMapper();

    public IntakeClient(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.service = new TrustServiceHttp(config.trustService().url().orElse("http://127.0.0.1:8080"),
                config.trustService().key().orElse(""), config.trustService().timeout());
    }

    public Future<Reply> validate(String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            return Future.succeededFuture(Reply.of(550, "5.1.1", "Unknown report mailbox"));
        }
        HttpRequest req = service.request("/api/v1/intake/aliases/" + enc(alias)).GET().build();
        return call(req).map(r -> {
            if (r == null) {
                return Reply.of(451, "4.4.3", "Report service unreachable, try again later");
            }
            int s = r.statusCode();
            if (s == 200) {
                return Reply.of(250, "2.1.5", "Ok");
            }
            if (s == 404) {
                return Reply.of(550, "5.1.1", "Unknown report mailbox");
            }
            if (s == 401 || s == 403) {
                return misconfigured(s, "4.7.1");
            }
            if (s >= 400 && s < 500 && s != 429) {
                return Reply.of(550, "5.7.1", reason(r));
            }
            return Reply.of(451, "4.4.3", "Report service unavailable, try again later");
        });
    }

    /** Posts the added header lines and then the message, streamed (it may be spooled), with its length. */
    public Future<Reply> submit(String alias, byte[] addedHeaders, MessageContent message) {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new SequenceInputStream(new ByteArrayInputStream(addedHeaders), message.openStream());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), addedHeaders.length + message.size());
        HttpRequest req = service.request("/api/v1/intake/raw/" + enc(alias))
                .header("Content-Type", "message/rfc822")
                .POST(body)
                .build();
        return call(req).map(r -> {
            if (r == null) {
                return Reply.of(451, "4.4.1", "Report service unreachable, try again later");
            }
            int s = r.statusCode();
            if (s >= 200 && s < 300) {
                return Reply.of(250, "2.0.0", storedText(r.body()));
            }
            if (s == 401 || s == 403) {
                return misconfigured(s, "4.3.0");
            }
            if (s >= 400 && s < 500 && s != 429) {
                return Reply.of(550, "5.7.1", "Report refused: " + reason(r));
            }
            return Reply.of(451, "4.3.0", "Report service unavailable, try again later");
        });
    }

    /**
     * 401/403: the service refused the gateway's own key, not the report. That is our
     * misconfiguration, so the member's report is deferred (451), never bounced.
     */
    private static Reply misconfigured(int status, String enhanced) {
        LOG.errorf("trust-service refused the gateway's key with HTTP %d: check gateway.trust-service.key "
                + "(a key with scope 'intake', made by an admin with POST /api/v1/admin/keys); reports are deferred with 451 until it is fixed", status);
        return Reply.of(451, enhanced, "Report service temporarily unavailable, try again later");
    }

    /** Completes on the caller's context with the response, or null when the service was unreachable. */
    private Future<HttpResponse<String>> call(HttpRequest req) {
        Context ctx = vertx.getOrCreateContext();
        Promise<HttpResponse<String>> p = Promise.promise();
        CompletableFuture<HttpResponse<String>> f = service.sendAsync(req);
        f.whenComplete((r, e) -> {
            if (e != null) {
                LOG.warnf("trust-service %s %s failed: %s", req.method(), req.uri().getPath(), e.toString());
            }
            ctx.runOnContext(v -> p.complete(e == null ? r : null));
        });
        return p.future();
    }

    private String reason(HttpResponse<String> r) {
        for (String f : new String[] {"detail", "title", "message", "error"}) {
            String v = field(r.body(), f);
            if (v != null && !v.isBlank()) {
                return v.length() > 200 ? v.substring(0, 200) : v;
            }
        }
        return "HTTP " + r.statusCode();
    }

    /**
     * The 250 text for a stored upload, from the answer's {@code reports[].id} and {@code errors}
     * (see docs/contracts/gateway-trust-service.json): the forwarding member reads in the reply
     * which reports were filed, or why none was.
     */
    String storedText(String body) {
        try {
            JsonNode n = json.readTree(body);
            JsonNode reports = n == null ? null : n.get("reports");
            List<String> ids = new ArrayList<>();
            if (reports != null && reports.isArray()) {
                for (JsonNode report : reports) {
                    JsonNode id = report.get("id");
                    if (id != null && !id.isNull()) {
                        ids.add(id.asText());
                    }
                }
            }
            if (ids.size() == 1) {
                return "Ok: report stored as " + ids.get(0);
            }
            if (!ids.isEmpty()) {
                return "Ok: " + ids.size() + " reports stored as " + String.join(", ", ids.subList(0, Math.min(10, ids.size())))
                        + (ids.size() > 10 ? ", ..." : "");
            }
            JsonNode errors = n == null ? null : n.get("errors");
            if (errors != null && errors.isArray() && !errors.isEmpty()) {
                String why = errors.get(0).asText().replaceAll("[\\p{Cntrl}]", " ");
                return "Ok: received, but no report filed: " + (why.length() > 200 ? why.substring(0, 200) : why);
            }
        } catch (Exception e) {
            // an unreadable answer to a 2xx still means the upload was taken
        }
        return "Ok: report stored";
    }

    private String field(String body, String name) {
        try {
            JsonNode n = json.readTree(body);
            JsonNode v = n == null ? null : n.get(name);
            return v == null || v.isNull() ? null : v.asText();
        } catch (Exception e) {
            return null;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
