package net.trustbl.gateway.traps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway's side of the trap-hit contract (docs/contracts/gateway-trust-service.json): its
 * client sends exactly the recorded requests, and reads the recorded answers as recorded. The
 * service's side (trust-service GatewayContractTest) sends the same requests to the real endpoint.
 */
class TrapHitContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final AtomicReference<Recorded> recorded = new AtomicReference<>();
    private volatile JsonNode answering;

    private record Recorded(String method, String path, String contentType, String authorization, String body) { }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            recorded.set(new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Authorization"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            JsonNode c = answering;
            byte[] body = JSON.writeValueAsBytes(c.get("answer"));
            ex.getResponseHeaders().add("Content-Type", c.get("status").asInt() >= 400 ? "application/problem+json" : "application/json");
            ex.sendResponseHeaders(c.get("status").asInt(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** The contract file, found from the module directory up (tests run in smtp-gateway/). */
    static JsonNode contract() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/contracts/gateway-trust-service.json"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IOException("docs/contracts/gateway-trust-service.json not found above " + Path.of("").toAbsolutePath());
        }
        return JSON.readTree(dir.resolve("docs/contracts/gateway-trust-service.json").toFile());
    }

    @Test
    void theGatewaySendsTheRecordedRequestsAndReadsTheRecordedAnswers() throws IOException {
        JsonNode trapHits = contract().get("trapHits");
        for (JsonNode c : trapHits.get("cases")) {
            String name = c.get("name").asText();
            String key = c.has("key") ? c.get("key").asText() : "gateway-key";
            answering = c;
            List<TrapHitClient.Hit> hits = new ArrayList<>();
            for (JsonNode h : c.get("hits")) {
                hits.add(new TrapHitClient.Hit(h.get("ip").asText(), h.get("trapAddress").asText(), Instant.parse(h.get("at").asText())));
            }
            TrapHitClient client = new TrapHitClient("http://127.0.0.1:" + server.getAddress().getPort() + "/",
                    key, Duration.ofSeconds(5));

            TrapHitClient.Answer answer = client.post(hits);

            Recorded r = recorded.get();
            assertEquals(trapHits.get("method").asText(), r.method(), name);
            assertEquals(trapHits.get("path").asText(), r.path(), name);
            assertEquals(trapHits.get("contentType").asText(), r.contentType(), name);
            assertEquals("Bearer " + key, r.authorization(), name);
            assertEquals(c.get("hits"), JSON.readTree(r.body()), name + ": the body is the recorded hits, field for field");
            assertEquals(c.get("status").asInt(), answer.status(), name);
            JsonNode index = c.get("gatewayReads").get("refusedIndex");
            assertEquals(index.isNull() ? null : index.asInt(), answer.refusedIndex(), name);
        }
    }
}
