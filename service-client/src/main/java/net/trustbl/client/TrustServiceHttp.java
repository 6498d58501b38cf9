package net.trustbl.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The one HTTP client to the trust-service, used by the SMTP gateway (report intake
 * {@code intake.IntakeClient}, spam-trap hits {@code traps.TrapHitClient};
 * {@code gateway.trust-service.*}) and by the standalone DNS responder (lookup counts,
 * {@code standalone.TrafficUploader}; {@code --traffic-url}, {@code --traffic-key}). The base URL,
 * the caller's API key as a bearer token and the time limits on connecting and on every request
 * are set here once. What each endpoint sends and reads stays with its caller; the gateway's
 * contract is in {@code docs/contracts/gateway-trust-service.json}.
 */
public final class TrustServiceHttp {

    private final String baseUrl;
    private final String key;
    private final Duration requestTimeout;
    private final HttpClient http;

    /**
     * @param baseUrl the service's address (e.g. {@code gateway.trust-service.url}); trailing slashes are ignored
     * @param key     the caller's API key (e.g. {@code gateway.trust-service.key}), sent as {@code Authorization: Bearer}
     * @param timeout the limit on connecting and on each request (e.g. {@code gateway.trust-service.timeout})
     */
    public TrustServiceHttp(String baseUrl, String key, Duration timeout) {
        this(baseUrl, key, timeout, timeout);
    }

    /**
     * For a caller whose requests may take longer than a connection should (a large upload).
     *
     * @param connectTimeout the limit on connecting to the service
     * @param requestTimeout the limit on each request, until the answer's headers have come
     */
    public TrustServiceHttp(String baseUrl, String key, Duration connectTimeout, Duration requestTimeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.key = key;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    /** A request to {@code path} (from the root, e.g. {@code /api/v1/trap-hits}) with the key and the time limit set. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + key);
    }

    /** Sends and waits (on a worker thread, never an event loop). */
    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends without blocking; completes exceptionally when the service cannot be reached in time. */
    public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
