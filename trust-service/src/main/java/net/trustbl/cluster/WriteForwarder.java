package net.trustbl.cluster;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import net.trustbl.journal.ClusterConfig;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.WriterDirectory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * On a standby replica, hands every state-changing request (anything but GET, HEAD and OPTIONS)
 * to the journal writer unchanged (but for the client address: {@link ClientAddress}) and streams
 * its answer back, so that a load balancer may send any request to any replica. Reads stay local.
 * Runs before the REST layer, on the event loop. While no writer is known (it is being replaced),
 * writes get 503 + Retry-After. A write's body is read whole (at most the body limit, within
 * {@link #BODY_DEADLINE_MILLIS}) before one of the pooled connections to the writer is taken: were
 * it streamed, clients that send headers and then nothing would hold the pool's connections until
 * the forward timeout, and a few dozen of them would stop every forwarded write. The writer's
 * answer is streamed back.
 */
@ApplicationScoped
public class WriteForwarder {

    private static final Logger LOG = Logger.getLogger(WriteForwarder.class);
    /** Marks a forwarded request, so that two standbys never pass a request back and forth. */
    static final String FORWARDED_BY = "X-TrustBL-Forwarded-By";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    /**
     * How long a client may take to send a write's body (from its headers on): request bodies are
     * small JSON documents or one raw message, seconds even on a slow link. Beyond it: 408.
     */
    static final long BODY_DEADLINE_MILLIS = 10_000;

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

    /** The limit {@code BodyLimitFilter} holds declared lengths to; a chunked body is counted here. */
    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

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

    /** Reads the whole body, then sends it on; every handler here runs on the request's event loop. */
    private void forward(RoutingContext rc, URI writer) {
        HttpServerRequest in = rc.request();
        if (in.isEnded()) {
            send(rc, writer, Buffer.buffer());
            return;
        }
        long limit = maxBodySize.asLongValue();
        Buffer body = Buffer.buffer();
        boolean[] settled = {false};
        long deadline = vertx.setTimer(BODY_DEADLINE_MILLIS, t -> {
            if (!settled[0]) {
                settled[0] = true;
                refuse(rc, 408, "the request body did not arrive within " + BODY_DEADLINE_MILLIS / 1000 + " s", null);
            }
        });
        in.handler(chunk -> {
            if (settled[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                settled[0] = true;
                vertx.cancelTimer(deadline);
                refuse(rc, 413, "request body is larger than " + limit + " bytes", "max-size");
                return;
            }
            body.appendBuffer(chunk);
        });
        in.exceptionHandler(e -> {
            if (!settled[0]) { // the client went away: nobody to answer
                settled[0] = true;
                vertx.cancelTimer(deadline);
                LOG.debugf("reading the body of %s %s failed: %s", in.method(), in.path(), e.toString());
            }
        });
        in.endHandler(v -> {
            if (!settled[0]) {
                settled[0] = true;
                vertx.cancelTimer(deadline);
                send(rc, writer, body);
            }
        });
        if (in.version() != HttpVersion.HTTP_1_0 && "100-continue".equalsIgnoreCase(in.getHeader(HttpHeaders.EXPECT))) {
            rc.response().writeContinue(); // the body is read here: the client waits for this, not the writer's
        }
        in.resume();
    }

    private void send(RoutingContext rc, URI writer, Buffer body) {
        HttpServerRequest in = rc.request();
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
        // the body is here, whole: its length is known, and the writer has no 100 Continue to give
        headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
        headers.remove(HttpHeaders.EXPECT);
        options.setHeaders(headers);
        this.client.request(options)
                .compose(out -> out.send(body))
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

    /**
     * 408 or 413 (as {@code BodyLimitFilter} words it, {@code rule} naming the limit) for a body
     * that is not read to its end: the connection is closed after the answer, since what is left
     * of the body would otherwise be read as the next request.
     */
    private static void refuse(RoutingContext rc, int status, String detail, String rule) {
        String body = "{\"type\":\"about:blank\",\"title\":\"" + (status == 408 ? "Request Timeout" : "Payload too large")
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\""
                + (rule == null ? "" : ",\"field\":\"body\",\"rule\":\"" + rule + "\"") + "}";
        HttpServerRequest in = rc.request();
        // HTTP/2 (no Connection header there): only this stream is done, the connection serves others
        boolean http1 = in.version() != HttpVersion.HTTP_2;
        var response = rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        if (http1) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body).onComplete(written -> {
            if (http1) {
                in.connection().close();
            }
        });
    }
}
