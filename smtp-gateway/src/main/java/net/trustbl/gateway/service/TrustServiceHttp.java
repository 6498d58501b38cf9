package net.trustbl.gateway.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's one HTTP client to the trust-service ({@code gateway.trust-service.*}): the base
 * URL, the gateway's API key as a bearer token and the time limit on connecting and on every
 * request are set here once, for the report intake ({@code intake.IntakeClient}) and the spam-trap
 * hits ({@code traps.TrapHitClient}). What each endpoint sends and reads stays with its caller;
 * the contract is in {@code docs/contracts/gateway-trust-service.json}.
 */
public final class TrustServiceHttp {

    private final String baseUrl;
    private final String key;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl the service's address ({@code gateway.trust-service.url}); trailing slashes are ignored
     * @param key     the gateway's API key ({@code gateway.trust-service.key}), sent as {@code Authorization: Bearer}
     * @param timeout the limit on connecting and on each request ({@code gateway.trust-service.timeout})
     */
    public TrustServiceHttp(String baseUrl, String key, Duration timeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.key = key;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A request to {@code path} (from the root, e.g. {@code /api/v1/trap-hits}) with the key and the time limit set. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
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
