package net.trustbl.responder;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.DecoderConfig;
import io.restassured.response.Response;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static io.restassured.RestAssured.given;
import static io.restassured.config.RestAssuredConfig.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What mirrors rely on: SOA/NS/TTL lines, a strong ETag per serial, 304 when unchanged, gzip when asked. */
@QuarkusTest
class RbldnsdExportHttpTest {

    private static final String PATH = "/api/v1/export/rbldnsd/ip4set";

    /** Raw bytes: RestAssured must not decompress for us, the test checks what is on the wire. */
    private static Response fetch(String acceptEncoding, String ifNoneMatch) {
        var request = given().config(config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()))
                .header("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return request.get(PATH);
    }

    @Test
    void theDatasetStartsWithTtlSoaAndNsLinesCarryingTheZoneSerial() {
        Response r = fetch("identity", null);
        assertEquals(200, r.statusCode());
        String[] lines = r.asString().split("\n");
        String serial = r.header("X-TrustBL-Serial");
        assertTrue(lines[0].matches("\\$TTL \\d+"), lines[0]);
        assertTrue(lines[1].matches("\\$SOA \\d+ ns1\\.bl\\.trustbl\\.test\\. hostmaster\\.bl\\.trustbl\\.test\\. "
                + serial + " \\d+ \\d+ \\d+ \\d+"), lines[1]);
        assertEquals("$NS " + lines[0].substring(5) + " ns1.bl.trustbl.test.", lines[2]);
        assertTrue(r.asString().contains("\n127.0.0.2\n"));
    }

    @Test
    void anUnchangedListIsA304AndANewListingChangesTheTag() {
        Response first = fetch("identity", null);
        String etag = first.header("ETag");
        assertTrue(etag.matches("\"ip4set-\\d+-[0-9a-f]{12}\""), etag);
        Response again = fetch("identity", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.asString());
        assertEquals(etag, again.header("ETag"));
        assertEquals(304, fetch("identity", "W/" + etag).statusCode(), "If-None-Match compares weakly");
        assertEquals(200, fetch("identity", "\"ip4set-1-000000000000\"").statusCode());

        String ip = Api.freshIp();
        Api.listByTwoReporters(ip);
        long rendersBefore = rendered.renders();
        Response changed = fetchUntilListed(ip, etag);
        assertEquals(200, changed.statusCode());
        assertNotEquals(etag, changed.header("ETag"));
        assertTrue(rendered.renders() > rendersBefore, "the new serial was rendered, not served from the cache");
    }

    /** The zone follows the journal asynchronously: ask until the listing is in the file (bounded). */
    private static Response fetchUntilListed(String ip, String oldTag) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Response r;
        do {
            r = fetch("identity", oldTag);
        } while ((r.statusCode() == 304 || !r.asString().contains("\n" + ip + "\n")) && System.nanoTime() < deadline);
        return r;
    }

    @jakarta.inject.Inject
    RenderedExports rendered;

    @Test
    void anUnchangedListIsRenderedOnceHoweverOftenItIsAsked() throws IOException {
        Response first = fetch("gzip", null);
        long renders = rendered.renders();
        String serial = first.header("X-TrustBL-Serial");
        Response plain = null;
        for (int i = 0; i < 20; i++) {
            fetch("gzip", null);
            plain = fetch("identity", null);
        }
        if (serial.equals(plain.header("X-TrustBL-Serial"))) { // no listing changed it meanwhile
            assertEquals(renders, rendered.renders(), "forty anonymous GETs of one serial render nothing new");
        } else {
            assertTrue(rendered.renders() > renders, "a new serial is rendered anew");
        }
        String unzipped;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(first.asByteArray()))) {
            unzipped = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertTrue(unzipped.startsWith("$TTL "), unzipped.substring(0, Math.min(40, unzipped.length())));
        assertTrue(plain.asString().startsWith("$TTL "));
    }

    @Test
    void gzipIsSentWhenAskedAndHasItsOwnTag() throws IOException {
        Response plain = fetch("identity", null);
        Response zipped = fetch("gzip, deflate", null);
        assertEquals(200, zipped.statusCode());
        assertEquals("gzip", zipped.header("Content-Encoding"));
        assertEquals("Accept-Encoding", zipped.header("Vary"));
        assertNull(plain.header("Content-Encoding"));
        String unzipped;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.asByteArray()))) {
            unzipped = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        if (plain.header("X-TrustBL-Serial").equals(zipped.header("X-TrustBL-Serial"))) {
            assertEquals(plain.asString(), unzipped);
            assertEquals(plain.header("ETag").replace("\"", "").concat("-gz"), zipped.header("ETag").replace("\"", ""));
        }
        assertEquals(304, fetch("gzip", zipped.header("ETag")).statusCode());
        assertNull(fetch("gzip;q=0", null).header("Content-Encoding"), "q=0 refuses gzip");
    }
}
