package net.trustbl.cluster;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import net.trustbl.journal.ClusterConfig;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.WriterDirectory;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * On a standby replica, hands every state-changing request (anything but GET, HEAD and OPTIONS)
 * to the journal writer unchanged (but for the client address: {@link ClientAddress}) and streams
 * its answer back, so that a load balancer may send any request to any replica. Reads stay local.
 * Runs before the REST layer, on the event loop, without buffering bodies. While no writer is known (it is being replaced), writes get 503 + Retry-After.
 */
@ApplicationScoped
public class WriteForwarder {

    private static final Logger LOG = Logger.getLogger(WriteForwarder.class);
    /** Marks a forwarded request, so that two standbys never pass a request back and forth. */
    static final String FORWARDED_BY = "X-TrustBL-Forwarded-By";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");

    @Inject
    EventJournal journal;

    @Inject
    WriterDirectory directory;

    @Inject
    ClusterConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ClientAddress clientAddress;

    private HttpClient client;

    void route(@Observes Router router) {
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true)
                .setMaxPoolSize(64).setIdleTimeout(30));
        router.route().order(Integer.MIN_VALUE + 100).handler(this::handle);
    }

    static boolean isWrite(HttpMethod m) {
        return !(HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m) || HttpMethod.OPTIONS.equals(m));
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest in = rc.request();
        if (journal.isWriter() || !journal.ready() || !isWrite(in.method()) || in.path().startsWith("/q/")) {
            rc.next();
            return;
        }
        Optional<String> writer = directory.writerUrl();
        if (writer.isEmpty() || in.getHeader(FORWARDED_BY) != null) {
            unavailable(rc, "the journal writer is being replaced; try again in a moment");
            return;
        }
        forward(rc, URI.create(writer.get()));
    }

    private void forward(RoutingContext rc, URI writer) {
        HttpServerRequest in = rc.request();
        in.pause();
        int port = writer.getPort() > 0 ? writer.getPort() : ("https".equals(writer.getScheme()) ? 443 : 80);
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(writer.getHost()).setPort(port)
                .setSsl("https".equals(writer.getScheme())).setURI(in.uri())
                .setTimeout(config.forwardTimeout().toMillis());
        MultiMap headers = options.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : options.getHeaders();
        in.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        String host = in.getHeader(HttpHeaders.HOST);
        if (host != null) {
            headers.set("X-Forwarded-Host", host);
        }
        // the client address as this replica resolved it, replacing (never appending to) whatever the
        // client sent: a client must not choose the address the writer throttles. The writer believes
        // only the signed statement; X-Forwarded-For stays for proxies and logs in between.
        String client = clientAddress.of(in);
        headers.remove("Forwarded");
        headers.set("X-Forwarded-For", client);
        headers.set(ClientAddress.HEADER, clientAddress.sign(client));
        headers.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        headers.set(FORWARDED_BY, directory.instance());
        options.setHeaders(headers);
        this.client.request(options)
                .compose(out -> {
                    if (in.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                        out.putHeader(HttpHeaders.CONTENT_LENGTH, in.getHeader(HttpHeaders.CONTENT_LENGTH));
                    } else {
                        out.setChunked(true);
                    }
                    return out.send(in);
                })
                .onSuccess(answer -> {
                    var response = rc.response().setStatusCode(answer.statusCode()).setStatusMessage(answer.statusMessage());
                    answer.headers().forEach(h -> {
                        if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                            response.headers().add(h.getKey(), h.getValue());
                        }
                    });
                    if (answer.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                        response.putHeader(HttpHeaders.CONTENT_LENGTH, answer.getHeader(HttpHeaders.CONTENT_LENGTH));
                    } else {
                        response.setChunked(true);
                    }
                    response.send(answer);
                })
                .onFailure(e -> {
                    LOG.debugf("forwarding %s %s to the writer failed: %s", in.method(), in.path(), e.toString());
                    if (!rc.response().headWritten()) {
                        if (e instanceof java.net.ConnectException) {
                            unavailable(rc, "the journal writer cannot be reached; nothing was stored");
                        } else {
                            problem(rc, 504, "the journal writer did not answer in time; the request may or may "
                                    + "not have been applied");
                        }
                    } else {
                        rc.response().reset();
                    }
                });
    }

    private static void unavailable(RoutingContext rc, String detail) {
        problem(rc, 503, detail);
    }

    /** A problem+json answer; {@code detail} is one of our constant sentences, never client input. */
    private static void problem(RoutingContext rc, int status, String detail) {
        String body = "{\"type\":\"about:blank\",\"title\":\"" + (status == 503 ? "Service Unavailable" : "Gateway Timeout")
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
        rc.response().setStatusCode(status).putHeader("Retry-After", "2")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json").end(body);
    }
}
