package net.trustbl.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 19 item 6: the session's own refusals (sequence, syntax, unknown command, size) name the
 * session as the filters' refusals do, so a postmaster can quote it and the operator find it.
 */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class ProtocolRefusalsNameTheSessionTest {

    private static final Pattern TAIL = Pattern.compile(" \\(smtp, session ([0-9A-Z]+)\\)$");

    @Inject
    SmtpServer server;

    @Test
    void sequenceSyntaxUnknownCommandAndSizeRefusalsCarryTheSessionId() throws Exception {
        Set<String> sessions = new HashSet<>();
        try (SmtpTestClient c = new SmtpTestClient(server.port(), "127.0.0.1")) {
            c.read();
            SmtpTestClient.Reply sequence = c.command("MAIL FROM:<a@example.net>");
            SmtpTestClient.Reply ehlo = c.command("EHLO client.example.net");
            SmtpTestClient.Reply needMail = c.command("RCPT TO:<b@example.net>");
            SmtpTestClient.Reply syntax = c.command("MAIL FROM:a@example.net");
            SmtpTestClient.Reply unknown = c.command("FROB");
            assertFalse(TAIL.matcher(ehlo.text()).find(), "accepted replies are not decorated: " + ehlo);
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            // 200000 bytes is the test limit: the message is read to its end and refused
            SmtpTestClient.Reply size = c.data(("s".repeat(998) + "\r\n").repeat(210));
            List<SmtpTestClient.Reply> refusals = List.of(sequence, needMail, syntax, unknown, size);
            List<Integer> codes = refusals.stream().map(SmtpTestClient.Reply::code).toList();
            assertEquals(List.of(503, 503, 501, 500, 552), codes, refusals.toString());
            for (SmtpTestClient.Reply r : refusals) {
                Matcher m = TAIL.matcher(r.text());
                assertTrue(m.find(), "names the session: " + r);
                sessions.add(m.group(1));
                assertTrue(("552 " + r.text() + "\r\n").length() <= 512, "still a legal reply line: " + r);
            }
        }
        assertEquals(1, sessions.size(), "one session, one id: " + sessions);
    }
}
