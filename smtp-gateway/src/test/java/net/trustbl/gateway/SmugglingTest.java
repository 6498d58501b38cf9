package net.trustbl.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.FakeDownstream;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMTP smuggling (CVE-2023-51764..6) and STARTTLS command injection (CVE-2011-0411): no variant
 * may end a message early or reach the downstream as a second message.
 */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class SmugglingTest {

    @Inject
    SmtpServer server;

    @BeforeEach
    void clear() {
        GatewayTestResource.downstream.clear();
    }

    /** Every end-of-data variant of the BRIEF, written with escapes: \n, \r, \0. */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r.\r\n", "\r.\n", "\n.\r", "\r.\r", "\r\n.\n", "\r\n.\r", "\r\n\0.\r\n"})
    void smuggledEndOfDataIsRejectedAndNothingReachesTheDownstream(String fakeEnd) throws Exception {
        String smuggled = "Subject: first\r\n\r\nhello" + fakeEnd
                + "MAIL FROM:<evil@example.net>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\n"
                + "From: ceo@example.net\r\nSubject: smuggled\r\n\r\nsecond message\r\n";
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            assertEquals(250, c.envelope("a@example.net", "b@example.net").code());
            assertEquals(354, c.command("DATA").code());
            c.send(smuggled + ".\r\n");
            SmtpTestClient.Reply r = c.read();
            assertEquals(550, r.code(), "variant " + escape(fakeEnd) + " got " + r);
            assertTrue(r.text().startsWith("5.5.2"));
            // no reply for the smuggled commands: the next reply answers our NOOP
            assertEquals(250, c.command("NOOP").code());
        }
        assertEquals(0, GatewayTestResource.downstream.messages.size(), "variant " + escape(fakeEnd));
        assertFalse(GatewayTestResource.downstream.commands.stream().anyMatch(l -> l.contains("evil@")));
    }

    @Test
    void startTlsDiscardsPlaintextSentAfterTheCommand() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            c.command("EHLO client.example.net");
            // the injected RSET and MAIL must never be executed inside the TLS session
            c.send("STARTTLS\r\nMAIL FROM:<injected@example.net>\r\n");
            assertEquals(220, c.read().code());
            c.startTls();
            SmtpTestClient.Reply r = c.command("EHLO client.example.net");
            assertEquals(250, r.code(), "first reply inside TLS answers our EHLO: " + r);
            assertFalse(r.text().contains("STARTTLS"), "no second STARTTLS offered");
            // a MAIL now is accepted, i.e. no injected MAIL is pending (else: 503 nested MAIL)
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            assertEquals(250, c.data("Subject: tls\r\n\r\nover tls\r\n").code());
        }
        assertFalse(GatewayTestResource.downstream.commands.stream().anyMatch(l -> l.contains("injected@")));
        FakeDownstream.Received m = GatewayTestResource.downstream.messages.get(0);
        assertEquals("<a@example.net>", m.from());
    }

    @Test
    void stateBeforeStartTlsIsForgotten() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            c.command("EHLO client.example.net");
            assertEquals(220, c.command("STARTTLS").code());
            c.startTls();
            assertEquals(503, c.command("MAIL FROM:<a@example.net>").code(), "EHLO again after TLS (RFC 3207)");
        }
    }

    static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
