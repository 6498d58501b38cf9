package net.trustbl.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.FakeDownstream;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gateway.smuggling.mode=normalize}: a smuggled end of data becomes ordinary content of
 * the one message (bare CR/LF turned into CRLF, NUL removed); the downstream receives exactly one
 * message, and the smuggled commands only as text inside it, never as commands.
 */
@QuarkusTest
@TestProfile(SmugglingNormalizeTest.Normalize.class)
@QuarkusTestResource(GatewayTestResource.class)
class SmugglingNormalizeTest {

    public static class Normalize implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.smuggling.mode", "normalize");
        }
    }

    @Inject
    SmtpServer server;

    @BeforeEach
    void clear() {
        GatewayTestResource.downstream.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r\n", "\r\n.\n", "\r\n\0.\r\n"})
    void smuggledEndOfDataBecomesContentOfTheOneMessage(String fakeEnd) throws Exception {
        String smuggled = "Subject: first\r\n\r\nhello" + fakeEnd
                + "MAIL FROM:<evil@example.net>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\n"
                + "Subject: smuggled\r\n\r\nsecond message\r\n";
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            assertEquals(250, c.envelope("a@example.net", "b@example.net").code());
            assertEquals(354, c.command("DATA").code());
            c.send(smuggled + ".\r\n");
            SmtpTestClient.Reply r = c.read();
            assertEquals(250, r.code(), "variant " + SmugglingTest.escape(fakeEnd) + " got " + r);
            assertEquals(250, c.command("NOOP").code(), "no replies for smuggled commands are pending");
        }
        assertEquals(1, GatewayTestResource.downstream.messages.size(), "exactly one message downstream");
        FakeDownstream.Received m = GatewayTestResource.downstream.messages.get(0);
        assertEquals("<a@example.net>", m.from());
        assertTrue(m.wireLines().stream().anyMatch(l -> l.contains("MAIL FROM:<evil@example.net>")),
                "the smuggled text arrives as content: " + m.wireLines());
        for (String line : m.wireLines()) {
            assertFalse(line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf('\0') >= 0,
                    "no bare CR, LF or NUL reaches the downstream: " + SmugglingTest.escape(line));
        }
        assertFalse(GatewayTestResource.downstream.commands.stream().anyMatch(l -> l.contains("evil@")),
                "never a command downstream");
    }
}
