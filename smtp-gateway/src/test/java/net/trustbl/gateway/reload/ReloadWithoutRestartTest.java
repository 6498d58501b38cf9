package net.trustbl.gateway.reload;

import net.trustbl.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lists and filter settings reload from the operator's file without a restart (file watch, SIGHUP,
 * POST /console/reload); a bad file keeps the running configuration and says why; a session keeps
 * the configuration it started with.
 */
@QuarkusTest
@TestProfile(ReloadWithoutRestartTest.OperatorFile.class)
@QuarkusTestResource(GatewayTestResource.class)
class ReloadWithoutRestartTest {

    static final Path FILE = Path.of("target", "reload-test", "gateway.properties").toAbsolutePath();
    static final String START = "# the operator's gateway settings\ngateway.deny.helos=denied.example.org\n";

    /** The gateway reads the operator's file through quarkus.config.locations, as in production. */
    public static class OperatorFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            write(START);
            return Map.of("quarkus.config.locations", FILE.toUri().toString(),
                    "gateway.reload.poll-interval", "100ms");
        }
    }

    @Inject
    SmtpServer server;

    @Inject
    GatewayReloader reloader;

    static void write(String content) {
        write(FILE, content);
    }

    /** Written beside and moved over, as an operator's tool should: the watcher never sees half a file. */
    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response reloadOnConsole() {
        return given().post("/console/reload");
    }

    private static void await(String what, BooleanSupplier condition) throws Exception {
        Eventually.await(what, java.time.Duration.ofSeconds(15), condition::getAsBoolean);
    }

    private SmtpTestClient greeted(String ip) throws IOException {
        SmtpTestClient c = new SmtpTestClient(server.port(), ip);
        assertEquals(220, c.read().code());
        assertEquals(250, c.command("EHLO client.example.org").code());
        return c;
    }

    @AfterEach
    void backToStart() throws Exception {
        write(START);
        reloadOnConsole().then().statusCode(200);
    }

    @Test
    void aDenyListChangedInTheFileRefusesNewSessionsWhileARunningSessionKeepsItsConfiguration() throws Exception {
        write(START);
        reloadOnConsole().then().statusCode(200);
        try (SmtpTestClient running = greeted("127.0.0.22")) {
            long before = reloader.appliedCount();
            write(START + "gateway.deny.ips=127.0.0.21\ngateway.deny.sender-domains=example.net\n");
            await("the watcher to reload", () -> reloader.appliedCount() > before);
            ReloadOutcome outcome = reloader.lastOutcome();
            assertTrue(outcome.trigger().startsWith("file change"), outcome.toString());
            assertEquals(List.of("gateway.deny.ips", "gateway.deny.sender-domains"), outcome.changed());
            assertEquals(List.of(), outcome.needsRestart(), "nothing that needs a restart changed");

            try (SmtpTestClient denied = new SmtpTestClient(server.port(), "127.0.0.21")) {
                SmtpTestClient.Reply r = denied.read();
                assertEquals(554, r.code(), r.toString());
                assertTrue(r.text().contains("not allowed"), r.toString());
            }
            try (SmtpTestClient fresh = greeted("127.0.0.23")) {
                SmtpTestClient.Reply r = fresh.command("MAIL FROM:<someone@example.net>");
                assertEquals(550, r.code(), r.toString());
                assertTrue(r.text().contains("Sender domain example.net is not allowed"), r.toString());
            }
            // the session that started before the reload finishes on the configuration it started with
            assertEquals(250, running.command("MAIL FROM:<someone@example.net>").code());
        }
    }

    @Test
    void aBadFileKeepsTheRunningConfigurationAndTheConsoleSaysWhyWithTheLine() throws Exception {
        write(START + "gateway.deny.ips=127.0.0.31, 10.0.0.300/8\n");
        Response bad = reloadOnConsole();
        bad.then().statusCode(422).contentType("application/problem+json");
        String problems = bad.jsonPath().getList("problems").toString();
        assertTrue(problems.contains("bad CIDR") && problems.contains("line 3"), problems);
        try (SmtpTestClient c = new SmtpTestClient(server.port(), "127.0.0.31")) {
            assertEquals(220, c.read().code(), "the old configuration (no deny list) stays in use");
        }

        write(START + "gateway.deny.ipz=127.0.0.31\n");
        Response unknown = reloadOnConsole();
        unknown.then().statusCode(422);
        String why = unknown.jsonPath().getString("detail");
        assertTrue(why.contains("gateway.deny.ipz") && why.contains("did you mean gateway.deny.ips") && why.contains("line 3"), why);
        assertEquals("console", reloader.lastOutcome().trigger());
    }

    @Test
    void aSettingThatNeedsARestartIsNamedAndLeftAsItIs() {
        int port = server.port();
        write(START + "gateway.listen=127.0.0.1:1\ngateway.limits.max-message-size=1000\nquarkus.http.port=1\n");
        Response r = reloadOnConsole();
        r.then().statusCode(200);
        List<String> needsRestart = r.jsonPath().getList("needsRestart");
        assertEquals(List.of("gateway.limits.max-message-size", "gateway.listen", "quarkus.http.port"), needsRestart);
        assertEquals(port, server.port());
        // nothing that can change live changed: both keys keep the values the gateway started with
        assertTrue(r.jsonPath().getList("changed").isEmpty(), r.asString());
    }

    @Test
    void theGreylistKnownSendersFileIsWatchedAndABadLineIsRefusedWithItsLine() throws Exception {
        Path list = FILE.resolveSibling("known-senders.txt");
        write(list, "# our partners\n192.0.2.0/24\n");
        write(START + "gateway.greylist.known-senders-file=" + list + "\n");
        reloadOnConsole().then().statusCode(200); // (the watcher may have been first: either installs it)
        assertEquals(list.toString(), reloader.valueInUse("gateway.greylist.known-senders-file").orElse(null));

        write(list, "# our partners\n192.0.2.0/24\nnot-a-network\n");
        await("the watcher to refuse the bad line", () -> reloader.lastOutcome().trigger().contains("known-senders.txt")
                && !reloader.lastOutcome().applied());
        assertTrue(reloader.lastOutcome().problems().toString().contains("line 3"), reloader.lastOutcome().toString());

        write(list, "# our partners\n192.0.2.0/24\n198.51.100.0/24\n");
        // a late watcher look at the earlier gateway.properties write may reload (changing nothing) first
        List<String> listChanged = List.of("greylist known-senders file " + list);
        await("the watcher to reload the list", () -> reloader.lastOutcome().applied()
                && reloader.lastOutcome().trigger().contains("known-senders.txt")
                && listChanged.equals(reloader.lastOutcome().changed()));
    }

    @Test
    void sighupReloads() throws Exception {
        // under nohup the JVM leaves SIGHUP ignored: the gateway must then not claim that SIGHUP reloads
        boolean ignored = sighupIgnoredAtStart();
        assertEquals(!ignored, reloader.sighupHandled(), "SIGHUP counts as handled exactly when the process does not ignore it");
        org.junit.jupiter.api.Assumptions.assumeFalse(ignored, "this test JVM was started with SIGHUP ignored (nohup)");
        long before = reloader.appliedCount();
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertEquals(0, kill.waitFor());
        await("SIGHUP to reload", () -> reloader.appliedCount() > before);
        assertEquals("SIGHUP", reloader.lastOutcome().trigger());
    }

    /** Whether this process ignores SIGHUP (bit 0 of SigIgn in /proc/self/status), as nohup leaves it. */
    private static boolean sighupIgnoredAtStart() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & 1L) != 0;
            }
        }
        return false;
    }
}
