package net.trustbl.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.gateway.filter.RawZip;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13 item 5 through the SMTP dialogue: archives that hide a blocked file or cannot be read are refused. */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class AttachmentFailClosedTest {

    @Inject
    SmtpServer server;

    @BeforeEach
    void clear() {
        GatewayTestResource.downstream.clear();
    }

    @Test
    void theIssuesThreeArchivesEncryptedAndCorruptZipsAreRefusedACleanOnePasses() throws Exception {
        byte[] nested = new RawZip().add("invoice.exe", "MZ".getBytes()).bytes();
        for (int level = 5; level >= 1; level--) {
            nested = new RawZip().add("level" + level + ".zip", nested).bytes();
        }
        byte[] storedWithDescriptor = new RawZip().add("invoice.exe", "invoice.exe", 0, 8, "MZ".getBytes(), new byte[0]).bytes();
        byte[] namesDiffer = new RawZip().add("readme.txt", "readme.exe", 8, 0, "hello".getBytes(), new byte[0]).bytes();
        byte[] encrypted = new RawZip().add("report.pdf", "report.pdf", 8, 1, "%PDF".getBytes(), new byte[0]).bytes();
        byte[] clean = new RawZip().add("report.pdf", "%PDF-1.4".getBytes()).bytes();
        byte[] corrupt = Arrays.copyOf(clean, clean.length - 8);
        byte[][] refused = {nested, storedWithDescriptor, namesDiffer, encrypted, corrupt};
        String[] expected = {"could not be inspected", "invoice.exe", "readme.exe", "could not be inspected", "could not be inspected"};
        try (SmtpTestClient c = new SmtpTestClient(server.port(), "127.0.0.1")) {
            c.read();
            c.command("EHLO client.example.net");
            for (int i = 0; i < refused.length; i++) {
                c.command("MAIL FROM:<a@example.net>");
                c.command("RCPT TO:<b@example.net>");
                SmtpTestClient.Reply r = c.data(mail("docs.zip", refused[i]));
                assertEquals(550, r.code(), expected[i] + ": " + r);
                assertTrue(r.text().startsWith("5.7.1") && r.text().contains(expected[i]), r.toString());
            }
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            assertEquals(250, c.data(mail("docs.zip", clean)).code());
        }
        assertEquals(1, GatewayTestResource.downstream.messages.size(), "only the clean zip reached the downstream");
    }

    private static String mail(String filename, byte[] content) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes()).encodeToString(content);
        return "From: a@example.net\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"BOUND\"\r\n\r\n"
                + "--BOUND\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--BOUND\r\nContent-Type: application/zip\r\n"
                + "Content-Disposition: attachment; filename=\"" + filename + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--BOUND--\r\n";
    }
}
