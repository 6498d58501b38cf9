package net.trustbl.client;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against a real HTTP server on the loopback: the key, the URL and the time limit reach the wire. */
class TrustServiceHttpTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private HttpServer server;
    private ExecutorService handlers;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/echo", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(202, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.createContext("/api/v1/silent", ex -> {
            seen.add(ex.getRequestURI().toString());
            try {
                release.await(30, TimeUnit.SECONDS); // never answers while the test runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void sendsTheKeyAsBearerToTheBaseUrlJoinedWithThePath() throws Exception {
        TrustServiceHttp client = new TrustServiceHttp(base() + "///", "gw-key-1", TIMEOUT);

        HttpRequest get = client.request("/api/v1/echo/a?b=c").GET().build();
        assertEquals(base() + "/api/v1/echo/a?b=c", get.uri().toString(), "trailing slashes of the base dropped, none doubled");
        HttpResponse<String> answer = client.send(get);

        assertEquals(202, answer.statusCode());
        assertEquals(List.of("GET /api/v1/echo/a?b=c Bearer gw-key-1"), seen);
    }

    @Test
    void sendAsyncCarriesTheSameRequestAndBody() throws Exception {
        TrustServiceHttp client = new TrustServiceHttp(base(), "admin-key", TIMEOUT);

        HttpResponse<String> answer = client.sendAsync(client.request("/api/v1/echo")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"ip\":\"192.0.2.1\"}]")).build()).get(10, TimeUnit.SECONDS);

        assertEquals(202, answer.statusCode());
        assertEquals("[{\"ip\":\"192.0.2.1\"}]", answer.body());
        assertEquals(List.of("POST /api/v1/echo Bearer admin-key"), seen);
    }

    @Test
    void aServiceThatNeverAnswersFailsWithinTheTimeout() {
        TrustServiceHttp client = new TrustServiceHttp(base() + "/", "k", TIMEOUT);
        HttpRequest request = client.request("/api/v1/silent").GET().build();

        long start = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> client.send(request));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(List.of("/api/v1/silent"), seen, "the request reached the server, which kept silent");
        assertTrue(took.compareTo(TIMEOUT.multipliedBy(3)) < 0, "gave up after " + took + ", limit " + TIMEOUT);
    }

    @Test
    void sendAsyncCompletesExceptionallyWithinTheTimeout() {
        TrustServiceHttp client = new TrustServiceHttp(base(), "k", TIMEOUT);

        long start = System.nanoTime();
        CompletionException failed = assertThrows(CompletionException.class,
                () -> client.sendAsync(client.request("/api/v1/silent").GET().build()).join());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertInstanceOf(HttpTimeoutException.class, failed.getCause());
        assertTrue(took.compareTo(TIMEOUT.multipliedBy(3)) < 0, "gave up after " + took + ", limit " + TIMEOUT);
    }

    @Test
    void theRequestLimitIsSeparateFromTheConnectLimit() {
        // connecting may take a minute, but a request that gets no answer still ends at its own limit
        TrustServiceHttp client = new TrustServiceHttp(base(), "k", Duration.ofMinutes(1), TIMEOUT);

        long start = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> client.send(client.request("/api/v1/silent").GET().build()));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(TIMEOUT.multipliedBy(3)) < 0, "gave up after " + took + ", limit " + TIMEOUT);
    }
}
