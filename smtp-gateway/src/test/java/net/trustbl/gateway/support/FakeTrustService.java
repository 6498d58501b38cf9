package net.trustbl.gateway.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The trust-service REST contract the gateway calls, served in-process: trap hits, intake alias
 * lookup and raw report hand-over. Status codes to answer can be queued per endpoint.
 */
public final class FakeTrustService implements AutoCloseable {

    public record Request(String method, String path, String authorization, String contentType, String body) {
    }

    public static final String KEY = "test-member-key";
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Statuses the trap-hit endpoint answers next (202 when empty). */
    public final Queue<Integer> trapStatuses = new ConcurrentLinkedQueue<>();
    /** Statuses the alias lookup answers next (by alias prefix when empty). */
    public final Queue<Integer> aliasStatuses = new ConcurrentLinkedQueue<>();
    /** A trap-hit batch containing this IP is refused 422 with the item's index, as the service does. */
    public volatile String rejectTrapIp;
    /** The trap-hit endpoint answers 403 (key lacks trust) while set. */
    public volatile boolean forbidTraps;
    /** While set, a trap-hit request is held (after it is recorded) until the latch opens. */
    public volatile java.util.concurrent.CountDownLatch holdTraps;
    /** Bodies of the trap-hit requests answered 2xx. */
    public final List<String> acceptedTrapBodies = new CopyOnWriteArrayList<>();
    /** Statuses the raw intake endpoint answers next (202 when empty). */
    public final Queue<Integer> rawStatuses = new ConcurrentLinkedQueue<>();
    private final HttpServer server;

    private static void awaitRelease(java.util.concurrent.CountDownLatch hold) {
        if (hold == null) {
            return;
        }
        try {
            hold.await(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public FakeTrustService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Content-Type"), body));
            int status;
            String out = "";
            if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
            } else if (path.equals("/api/v1/trap-hits")) {
                awaitRelease(holdTraps);
                Integer s = trapStatuses.poll();
                status = s == null ? 202 : s;
                int bad = rejectTrapIp == null ? -1 : indexOfIp(body, rejectTrapIp);
                if (forbidTraps) {
                    status = 403;
                    out = "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"trap hits need trust\"}";
                } else if (bad >= 0) {
                    status = 422;
                    out = "{\"title\":\"Invalid input\",\"status\":422,\"detail\":\"hits[" + bad
                            + "]: bad\",\"field\":\"ip\",\"index\":" + bad + "}";
                } else if (status >= 200 && status < 300) {
                    acceptedTrapBodies.add(body);
                }
            } else if (path.startsWith("/api/v1/intake/aliases/")) {
                String alias = path.substring("/api/v1/intake/aliases/".length());
                Integer s = aliasStatuses.poll();
                status = s != null ? s : alias.startsWith("member") ? 200 : 404;
                out = status == 200 ? "{\"alias\":\"" + alias + "\",\"memberId\":7}" : "{\"title\":\"not found\"}";
            } else if (path.startsWith("/api/v1/intake/raw/")) {
                Integer s = rawStatuses.poll();
                status = s == null ? 202 : s;
                out = status == 202 ? "{\"reports\":[{\"id\":4711,\"sourceIp\":\"45.67.89.10\"}],\"errors\":[]}" : "{\"title\":\"Bad report\",\"detail\":\"no spam found in the report\"}";
            } else {
                status = 404;
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(bytes);
                }
            }
            ex.close();
        });
        server.start();
    }

    private static int indexOfIp(String body, String ip) {
        try {
            com.fasterxml.jackson.databind.JsonNode a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            for (int i = 0; i < a.size(); i++) {
                if (ip.equals(a.get(i).path("ip").asText())) {
                    return i;
                }
            }
        } catch (IOException e) {
            // not JSON: not ours to judge
        }
        return -1;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
