package net.trustbl.cluster;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import net.trustbl.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standby reads a write's whole body before it takes one of its connections to the writer: clients
 * that send a request's headers and then nothing (or too much) hold no connection to the writer, and
 * everyone else's writes still go through.
 */
@QuarkusTest
@TestProfile(StalledWriteBodiesTest.Standby.class)
class StalledWriteBodiesTest {

    public static class Standby implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("test.other-writer", "true", "trustbl.cluster.poll-interval", "50ms");
        }
    }

    /** More than the standby's 64 pooled connections to the writer. */
    private static final int STALLED = 72;

    @Inject
    DataSource dataSource;

    HttpServer writer;
    ExecutorService writerThreads;
    final Queue<String> bodiesSeen = new ConcurrentLinkedQueue<>();
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void startWriter() throws Exception {
        writerThreads = Executors.newCachedThreadPool();
        writer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        writer.setExecutor(writerThreads);
        writer.createContext("/", ex -> {
            bodiesSeen.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "[{\"id\":4242}]".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(202, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        writer.start();
        String url = "http://127.0.0.1:" + writer.getAddress().getPort();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE journal_writer SET url = ?, instance = 'other', since = now() WHERE id = 1")) {
            ps.setString(1, url);
            ps.executeUpdate();
        }
        assertTrue(Eventually.within(Duration.ofSeconds(15), () -> url.equals(given().get("/q/health/ready").jsonPath()
                .getString("checks.find { it.name == 'journal-role' }.data.writer"))), "the standby knows the writer");
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        writer.stop(0);
        writerThreads.shutdownNow();
    }

    @Test
    void writesWhoseBodiesNeverComeHoldNoConnectionToTheWriter() throws Exception {
        for (int i = 0; i < STALLED; i++) {
            send(open(), "POST /api/v1/members HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/reports"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer some-key")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ip\":\"45.1.2.3\",\"verdict\":\"spam\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answer.statusCode(), answer.body());
        assertEquals("[{\"id\":4242}]", answer.body());
        assertTrue(bodiesSeen.contains("{\"ip\":\"45.1.2.3\",\"verdict\":\"spam\"}"), bodiesSeen.toString());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
        assertEquals(1, bodiesSeen.size(), "no stalled request reached the writer: " + bodiesSeen);
    }

    @Test
    void aBodyThatDoesNotArriveWithinTheDeadlineGets408AndTheConnectionCloses() throws Exception {
        Socket s = open();
        s.setSoTimeout(25_000);
        send(s, "POST /api/v1/members HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"email\":");
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        assertTrue(bodiesSeen.isEmpty(), "nothing reached the writer: " + bodiesSeen);
    }

    @Test
    void aChunkedBodyOverTheBodyLimitGets413AndNeverReachesTheWriter() throws Exception {
        Socket s = open();
        s.setSoTimeout(25_000);
        send(s, "POST /api/v1/reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        OutputStream out = s.getOutputStream();
        String head = Integer.toHexString(chunk.length) + "\r\n";
        try {
            for (int sent = 0; sent <= 2 * 1024 * 1024; sent += chunk.length) {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException refusedWhileSending) {
            // the standby answered and closed before the last chunk: the answer is still to be read
        }
        InputStream in = s.getInputStream();
        byte[] start = in.readNBytes(12);
        String status = new String(start, StandardCharsets.ISO_8859_1);
        assertEquals("HTTP/1.1 413", status);
        assertTrue(bodiesSeen.isEmpty(), "nothing reached the writer");
    }

    private Socket open() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
