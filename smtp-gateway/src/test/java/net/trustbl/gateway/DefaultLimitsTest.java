package net.trustbl.gateway;

import net.trustbl.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.LogCapture;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped defaults of the recipient limit and the error limits (the test profile's are small). */
@QuarkusTest
@TestProfile(DefaultLimitsTest.Defaults.class)
@QuarkusTestResource(GatewayTestResource.class)
class DefaultLimitsTest {

    public static class Defaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.limits.max-recipients", "100",
                    "gateway.tarpit.soft-error-limit", "10",
                    "gateway.tarpit.error-sleep-time", "1s",
                    "gateway.tarpit.multiplier", "1.0",
                    "gateway.tarpit.max-delay", "60s",
                    // not a default: lets the log-only action be seen here without another profile
                    "gateway.dnsbl.action", "log");
        }
    }

    @Inject
    SmtpServer server;

    @BeforeEach
    void clear() {
        GatewayTestResource.downstream.clear();
    }

    @Test
    void hundredValidRecipientsAndThe452BeyondThemAreAnsweredInUnderTwoSeconds() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            c.command("EHLO client.example.net");
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            long t0 = System.nanoTime();
            StringBuilder rcpts = new StringBuilder();
            for (int i = 0; i <= 100; i++) {
                rcpts.append("RCPT TO:<list").append(i).append("@example.net>\r\n");
            }
            c.send(rcpts.toString()); // pipelined, as MTAs send a list's recipients
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i <= 100; i++) {
                codes.add(c.read().code());
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(100, codes.stream().filter(code -> code == 250).count(), codes.toString());
            assertEquals(452, codes.get(100), "the 101st comes back in another transaction");
            // the goal is 2 s on a quiet machine; on a shared CI box (this one runs at a load of 10+
            // per core) every round trip to the downstream waits for a core, so the bound scales with
            // the load per core. The tarpit this replaces took over an hour for these recipients.
            double loadPerCore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                    / Runtime.getRuntime().availableProcessors();
            long bound = (long) (2_000 * Math.max(1.0, loadPerCore));
            assertTrue(millis < bound, "answered in " + millis + " ms, bound " + bound + " ms at load/core " + loadPerCore);
            assertEquals(250, c.data("Subject: list\r\n\r\nto a hundred\r\n").code());
        }
        assertEquals(100, GatewayTestResource.downstream.messages.get(0).rcpts().size());
    }

    @Test
    void aMegabyteOfPipelinedCommandsIsAnsweredInOrderWithoutErrors() throws Exception {
        LogCapture errors = new LogCapture("", java.util.logging.Level.SEVERE);
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertEquals(250, c.command("EHLO client.example.net").code());
            // every 1000th command is a VRFY (252), so the order of the answers shows
            StringBuilder commands = new StringBuilder();
            List<Integer> expected = new ArrayList<>();
            while (commands.length() < 1024 * 1024) {
                boolean vrfy = expected.size() % 1000 == 999;
                commands.append(vrfy ? "VRFY someone\r\n" : "NOOP\r\n");
                expected.add(vrfy ? 252 : 250);
            }
            commands.append("QUIT\r\n");
            expected.add(221);
            // written by another thread without reading, as a client that ignores its replies
            Thread writer = new Thread(() -> {
                try {
                    c.send(commands.toString());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            for (int i = 0; i < expected.size(); i++) {
                int code = c.read().code();
                if (code != expected.get(i)) {
                    assertEquals(expected.get(i), code, "reply " + i + " of " + expected.size());
                }
            }
            writer.join(10_000);
        } finally {
            errors.close();
        }
        assertTrue(errors.records.isEmpty(), "nothing logged at ERROR: " + errors.messages());
    }

    @Test
    void actionLogAcceptsAListedClientAndLogsWhatWouldHaveBeenRefused() throws Exception {
        try (LogCapture log = new LogCapture("net.trustbl.gateway.filter.DnsblFilter", java.util.logging.Level.INFO);
             SmtpTestClient c = new SmtpTestClient(server.port(), "127.0.0.5")) {
            SmtpTestClient.Reply r = c.envelope("a@example.net", "b@example.net");
            assertEquals(250, r.code(), "log-only refuses nothing: " + r);
            Eventually.within(java.time.Duration.ofSeconds(10), () -> log.messages().stream().anyMatch(m -> m.contains("log-only")));
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("log-only") && m.contains("127.0.0.5")
                    && m.contains("bl.test")), log.messages().toString());
        }
    }
}
