package net.trustbl.gateway;

import net.trustbl.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.filter.RawZip;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.FakeDownstream;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 4: a message above gateway.limits.spool-threshold (64K in tests) is read into a
 * private spool file that exists while its transaction lasts and is gone after it, whatever the
 * outcome; the filters and the relay read it from there.
 */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class MessageSpoolTest {

    @Inject
    SmtpServer server;

    @Inject
    GatewayConfig config;

    @BeforeEach
    void clear() {
        GatewayTestResource.downstream.clear();
    }

    private List<Path> spoolFiles() {
        Path dir = Path.of(config.dataDir(), "message-spool");
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the condition for up to 10 s; no fixed wait. */
    private static boolean eventually(BooleanSupplier condition) throws Exception {
        return Eventually.within(java.time.Duration.ofSeconds(10), condition::getAsBoolean);
    }

    /** About {@code kib} KiB of text lines, some starting with a dot (stuffed on the wire). */
    private static String bodyLines(int kib) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < kib * 1024; i++) {
            sb.append(i % 50 == 0 ? "." : "").append(String.format("line %06d ", i)).append("z".repeat(64)).append("\r\n");
        }
        return sb.toString();
    }

    private static String stuffed(String body) {
        return body.replace("\r\n.", "\r\n..").replaceFirst("^\\.", "..");
    }

    private SmtpTestClient openData() throws IOException {
        SmtpTestClient c = new SmtpTestClient(server.port(), "127.0.0.1");
        assertEquals(250, c.envelope("a@example.net", "b@example.net").code());
        assertEquals(354, c.command("DATA").code());
        return c;
    }

    @Test
    void aBigMessageIsSpooledPrivatelyWhileReadAndTheFileIsGoneOnceItIsDelivered() throws Exception {
        assertTrue(spoolFiles().isEmpty(), "no spool file before: " + spoolFiles());
        String message = "From: a@example.net\r\nSubject: big\r\n\r\n" + bodyLines(150);
        try (SmtpTestClient c = openData()) {
            c.send(stuffed(message));
            assertTrue(eventually(() -> spoolFiles().size() == 1), "past 64 KiB the message is in a spool file");
            Path file = spoolFiles().get(0);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            c.send(".\r\n");
            SmtpTestClient.Reply r = c.read();
            assertEquals(250, r.code(), r.toString());
            assertTrue(spoolFiles().isEmpty(), "deleted before the 250 was sent: " + spoolFiles());
        }
        FakeDownstream.Received got = GatewayTestResource.downstream.messages.get(0);
        String relayed = got.unstuffedBody();
        assertTrue(relayed.endsWith(message), "the relayed message is the one sent, byte for byte, after the added headers");
    }

    @Test
    void theSpoolFileIsDeletedWhenTheClientGoesAwayMidMessage() throws Exception {
        try (SmtpTestClient c = openData()) {
            c.send(stuffed("Subject: half\r\n\r\n" + bodyLines(120)));
            assertTrue(eventually(() -> spoolFiles().size() == 1), "spooled");
        }
        assertTrue(eventually(() -> spoolFiles().isEmpty()), "the client left: its spool file went too");
        assertEquals(0, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void filtersReadTheSpooledMessageAttachmentsAndContentRules() throws Exception {
        // above the 64 KiB threshold the zip itself is decoded into the spool and read from there
        byte[] filler = new byte[80 * 1024];
        new java.util.Random(3).nextBytes(filler);
        byte[] zip = new RawZip().add("filler.bin", "filler.bin", 0, 0, filler, new byte[0])
                .add("inner.zip", new RawZip().add("invoice.exe", "MZ".getBytes()).bytes()).bytes();
        String withAttachment = "From: a@example.net\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"BOUND\"\r\n\r\n"
                + "--BOUND\r\nContent-Type: text/plain\r\n\r\n" + bodyLines(10)
                + "--BOUND\r\nContent-Type: application/zip\r\n"
                + "Content-Disposition: attachment; filename=\"docs.zip\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(zip)
                + "\r\n--BOUND--\r\n";
        String pills = "From: a@example.net\r\nSubject: offer\r\n\r\n" + bodyLines(150) + "cheap pills here\r\n";
        try (SmtpTestClient c = new SmtpTestClient(server.port(), "127.0.0.1")) {
            assertEquals(250, c.envelope("a@example.net", "b@example.net").code());
            SmtpTestClient.Reply r = c.data(stuffed(withAttachment));
            assertEquals(550, r.code(), r.toString());
            assertTrue(r.text().contains("inner.zip containing invoice.exe"), "the zip inside the spooled message was opened: " + r);
            assertTrue(spoolFiles().isEmpty(), "refused: the spool file is gone: " + spoolFiles());
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            r = c.data(stuffed(pills));
            assertEquals(550, r.code(), "a body rule matches 150 KiB into a spooled message: " + r);
            assertTrue(r.text().contains("pharmacy spam"), r.toString());
        }
        assertTrue(spoolFiles().isEmpty());
        assertEquals(0, GatewayTestResource.downstream.messages.size());
    }
}
