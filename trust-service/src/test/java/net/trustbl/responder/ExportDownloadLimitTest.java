package net.trustbl.responder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.DecoderConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.restassured.config.RestAssuredConfig.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that ask for the rbldnsd export and then stop reading hold a worker thread each while
 * the body waits for them: only a few downloads run at once per client and in all, the rest get
 * 503 + Retry-After at once, and everything else still answers.
 */
@QuarkusTest
@TestProfile(ExportDownloadLimitTest.FewDownloads.class)
class ExportDownloadLimitTest {

    public static class FewDownloads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trustbl.dns.export.max-downloads", "3", "trustbl.dns.export.max-downloads-per-client", "2");
        }
    }

    private static final String PATH = "/api/v1/export/rbldnsd/ip4set";

    @Inject
    DnsResponderHost dns;

    @Inject
    RenderedExports rendered;

    @Inject
    ExportSlots slots;

    private final List<Socket> stalled = new ArrayList<>();

    @AfterEach
    void closeStalled() throws IOException {
        for (Socket s : stalled) {
            s.close();
        }
        stalled.clear();
    }

    @Test
    void clientsThatStopReadingHoldOnlyAFewDownloadsAndNeverTheWholeService() throws Exception {
        bigList();

        // one client: its third download waits; another client's goes through
        stallDownload("198.51.100.1");
        stallDownload("198.51.100.1");
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> export("198.51.100.1").statusCode() == 503),
                "a client's downloads beyond its share are refused");
        assertEquals(200, export("198.51.100.2").statusCode(), "another client is not held back by it");

        // all downloads taken: the next is refused at once, with a problem and Retry-After
        stallDownload("198.51.100.3");
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> export("198.51.100.4").statusCode() == 503));
        long start = System.nanoTime();
        Response refused = export("198.51.100.4");
        long refusedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, refused.statusCode());
        assertTrue(refusedMillis < 3_000, "refused at once, not queued: " + refusedMillis + " ms");
        assertNotNull(refused.header("Retry-After"));
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertEquals(503, refused.jsonPath().getInt("status"));

        // the rest of the service answers as before
        start = System.nanoTime();
        given().get("/api/v1/lookup/192.0.2.1").then().statusCode(200);
        long lookupMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(lookupMillis < 3_000, "a lookup took " + lookupMillis + " ms");

        // the stalled clients go: their downloads are given back
        closeStalled();
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> export("198.51.100.4").statusCode() == 200),
                "a download after the stalled ones went");
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> slots.inUse() == 0), "in use: " + slots.inUse());
    }

    @Test
    void aFinishedDownloadAndAHeadGiveTheirSlotBack() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, export("198.51.100.9").statusCode(), "download " + i);
            assertEquals(200, given().header("X-Forwarded-For", "198.51.100.9").head(PATH).statusCode(), "HEAD " + i);
        }
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> slots.inUse() == 0), "in use: " + slots.inUse());
    }

    /**
     * The cached rendering of the current serial, made big (about 20 MB unzipped): far more than a
     * socket's buffers hold, so a client that does not read keeps its download open.
     */
    private void bigList() {
        long serial = dns.zone().snapshot().serial();
        DnsConfig config = dns.dnsConfig();
        ExportTag tag = ExportTag.of("ip4set", serial, RbldnsdZoneLines.of(config, serial) + config.txtTemplate());
        rendered.gzipped("ip4set", serial, tag, out -> {
            byte[] line = "127.0.0.2\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 2_000_000; i++) {
                out.write(line);
            }
        });
    }

    /** Asks for the whole list unzipped and never reads the answer. */
    private void stallDownload(String client) throws IOException {
        Socket s = new Socket();
        stalled.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + PATH + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + client
                + "\r\nAccept-Encoding: identity\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A download that reads its answer (gzipped: the cached bytes, small). */
    private static Response export(String client) {
        return given().config(config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()))
                .header("Accept-Encoding", "gzip").header("X-Forwarded-For", client).get(PATH);
    }
}
