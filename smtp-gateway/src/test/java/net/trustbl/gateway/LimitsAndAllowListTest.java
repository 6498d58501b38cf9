package net.trustbl.gateway;

import net.trustbl.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import net.trustbl.gateway.filter.DnsblFilter;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection and time limits, allow lists (what they skip and what they do not), checker timeout. */
@QuarkusTest
@TestProfile(LimitsAndAllowListTest.Limits.class)
@QuarkusTestResource(GatewayTestResource.class)
class LimitsAndAllowListTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.limits.command-timeout", "2s",
                    "gateway.limits.max-connections-per-ip", "3",
                    "gateway.allow.ips", "127.0.0.15",
                    "gateway.allow.helos", "trusted.example.org",
                    "gateway.allow.sender-domains", "partner.test",
                    "gateway.external.timeout", "1s",
                    "gateway.dnsbl.reject-at-connect", "true");
        }
    }

    @Inject
    SmtpServer server;

    @Inject
    DnsblFilter dnsbl;

    @BeforeEach
    void clear() throws Exception {
        GatewayTestResource.downstream.clear();
        Eventually.within(java.time.Duration.ofSeconds(10), () -> "ok".equals(dnsbl.siteStatus().get("bl.test")));
    }

    private SmtpTestClient from(String ip) throws Exception {
        return new SmtpTestClient(server.port(), ip);
    }

    @Test
    void withRejectAtConnectAListedClientIsRefusedInTheGreeting() throws Exception {
        try (SmtpTestClient c = from("127.0.0.5")) {
            SmtpTestClient.Reply r = c.read();
            assertEquals(550, r.code(), "the option refuses in the greeting: " + r);
            assertTrue(r.text().startsWith("5.7.1") && r.text().contains("https://trustbl.test/ip/127.0.0.5"), r.toString());
            assertEquals(-1, c.read().code(), "connection closed");
        }
    }

    @Test
    void connectionsPerClientIpAreLimited() throws Exception {
        List<SmtpTestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SmtpTestClient c = from("127.0.0.30");
                open.add(c);
                assertEquals(220, c.read().code());
            }
            try (SmtpTestClient fourth = from("127.0.0.30")) {
                SmtpTestClient.Reply r = fourth.read();
                assertEquals(421, r.code(), r.toString());
                assertTrue(r.text().startsWith("4.7.0"), r.toString());
            }
            try (SmtpTestClient other = from("127.0.0.31")) {
                assertEquals(220, other.read().code(), "another address is not affected");
            }
            open.remove(0).close();
            int[] code = {0};
            Eventually.within(java.time.Duration.ofSeconds(5), () -> {
                try (SmtpTestClient again = from("127.0.0.30")) {
                    code[0] = again.read().code();
                }
                return code[0] == 220;
            });
            assertEquals(220, code[0], "a slot frees when a session ends");
        } finally {
            for (SmtpTestClient c : open) {
                c.close();
            }
        }
    }

    @Test
    void anIdleClientIsDisconnectedAfterTheCommandTimeout() throws Exception {
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.read();
            assertEquals(250, c.command("EHLO client.example.net").code());
            long t0 = System.nanoTime();
            SmtpTestClient.Reply r = c.read(); // says nothing; the gateway must give up after 2 s
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(421, r.code(), r.toString());
            assertTrue(r.text().startsWith("4.4.2"), r.toString());
            assertTrue(waited >= 1_900 && waited < 6_000, "after the configured 2 s: " + waited + " ms");
            assertEquals(-1, c.read().code(), "and the connection is closed");
        }
    }

    @Test
    void allowListedClientSkipsDnsblAndGreylistButNotTrapsOrAttachments() throws Exception {
        String rcpt = "user" + System.nanoTime() + "@grey.test";
        try (SmtpTestClient c = from("127.0.0.15")) { // listed in bl.test (score 2), allow-listed by IP
            assertEquals(220, c.read().code(), "not refused at connect");
            c.command("EHLO client.example.net");
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            assertEquals(250, c.command("RCPT TO:<" + rcpt + ">").code(), "neither greylisted nor refused by the DNSBL");
            assertEquals(250, c.command("RCPT TO:<trap@example.net>").code());
            assertEquals(550, c.data("Subject: x\r\n\r\nhello\r\n").code(), "spam traps still apply");
            c.command("MAIL FROM:<a@example.net>");
            assertEquals(250, c.command("RCPT TO:<" + rcpt + ">").code(), "an IP allow entry is never blocked by a trap hit");
            SmtpTestClient.Reply r = c.data(exe());
            assertEquals(550, r.code(), "attachments still apply: " + r);
            assertTrue(r.text().contains("invoice.exe"), r.toString());
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<" + rcpt + ">");
            assertEquals(550, c.data("Subject: x\r\n\r\ncheap pills\r\n").code(), "content rules still apply");
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<" + rcpt + ">");
            assertEquals(250, c.data("Subject: x\r\n\r\nhello\r\n").code());
        }
        assertEquals(1, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void heloAllowSkipsTheDnsblAndSenderDomainAllowLastsOneTransaction() throws Exception {
        try (SmtpTestClient c = from("127.0.0.16")) { // soft.test: score 1, over the strict policy's threshold
            c.read();
            c.command("EHLO trusted.example.org");
            c.command("MAIL FROM:<a@example.net>");
            assertEquals(250, c.command("RCPT TO:<x@strict.test>").code(), "HELO allow entry skips the DNSBL");
            assertEquals(250, c.command("RCPT TO:<trap@example.net>").code());
            assertEquals(550, c.data("Subject: x\r\n\r\nhello\r\n").code(), "but not the traps");
        }
        try (SmtpTestClient c = from("127.0.0.6")) { // soft.test: score 1
            c.read();
            c.command("EHLO client.example.net");
            assertEquals(250, c.command("MAIL FROM:<a@partner.test>").code());
            assertEquals(250, c.command("RCPT TO:<x@strict.test>").code(), "allow-listed sender domain");
            assertEquals(250, c.command("RSET").code());
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            SmtpTestClient.Reply r = c.command("RCPT TO:<x@strict.test>");
            assertEquals(550, r.code(), "the sender's allow entry must not outlive its transaction: " + r);
        }
    }

    @Test
    void externalCheckerTimeoutIsATemporaryFailure() throws Exception {
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.envelope("a@example.net", "b@example.net");
            long t0 = System.nanoTime();
            SmtpTestClient.Reply r = c.data("Subject: x\r\n\r\nEXTERNAL-SLOW\r\n");
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(451, r.code(), r.toString());
            assertTrue(r.text().startsWith("4.7.1") && r.text().contains("timed out"), r.toString());
            assertTrue(took < 4_500, "the 1 s timeout, not the checker's 5 s sleep: " + took);
        }
        assertEquals(0, GatewayTestResource.downstream.messages.size());
    }

    private static String exe() {
        String b64 = Base64.getMimeEncoder().encodeToString("MZ fake".getBytes());
        return "From: a@example.net\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
                + "--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--B\r\nContent-Type: application/octet-stream; name=\"invoice.exe\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--B--\r\n";
    }
}
