package net.trustbl.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.FakeTrustService;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Report intake mode: RCPT checked against the trust-service, message handed to its raw endpoint. */
@QuarkusTest
@TestProfile(IntakeModeTest.Intake.class)
@QuarkusTestResource(GatewayTestResource.class)
class IntakeModeTest {

    public static class Intake implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.mode", "intake");
        }
    }

    @Inject
    SmtpServer server;

    @Test
    void reportIsAcceptedOnlyWhenTheServiceStoredIt() throws Exception {
        FakeTrustService trust = GatewayTestResource.trust;
        String report = "From: reporter@example.net\r\nSubject: spam I got\r\n\r\nforwarded spam\r\n";
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            SmtpTestClient.Reply r = c.envelope("reporter@example.net", "nobody@reports.trustbl.test");
            assertEquals(550, r.code(), "unknown alias: " + r);
            assertEquals(550, c.command("RCPT TO:<member1@elsewhere.test>").code());
            assertEquals(250, c.command("RCPT TO:<member1@reports.trustbl.test>").code());
            r = c.data(report);
            assertEquals(250, r.code(), r.toString());
            assertTrue(r.text().contains("stored as 4711"), r.toString());

            trust.rawStatuses.add(422);
            c.command("MAIL FROM:<reporter@example.net>");
            c.command("RCPT TO:<member1@reports.trustbl.test>");
            r = c.data(report);
            assertEquals(550, r.code());
            assertTrue(r.text().contains("no spam found in the report"), r.toString());

            trust.rawStatuses.add(503);
            c.command("MAIL FROM:<reporter@example.net>");
            c.command("RCPT TO:<member1@reports.trustbl.test>");
            assertEquals(451, c.data(report).code());
        }
        List<FakeTrustService.Request> raw = trust.requests("/api/v1/intake/raw/member1");
        assertEquals(3, raw.size());
        assertEquals("message/rfc822", raw.get(0).contentType());
        assertEquals("Bearer " + FakeTrustService.KEY, raw.get(0).authorization());
        assertTrue(raw.get(0).body().contains("forwarded spam"));
        assertEquals(0, GatewayTestResource.downstream.messages.size(), "intake mode never uses the downstream");
    }

    @Test
    void aRefusedGatewayKeyDefersReportsInsteadOfBouncingThem() throws Exception {
        FakeTrustService trust = GatewayTestResource.trust;
        String report = "From: reporter@example.net\r\nSubject: spam I got\r\n\r\nforwarded spam\r\n";
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            trust.aliasStatuses.add(403);
            SmtpTestClient.Reply r = c.envelope("reporter@example.net", "member2@reports.trustbl.test");
            assertEquals(451, r.code(), "403 for the gateway's key is our misconfiguration, not an unknown mailbox: " + r);
            assertTrue(r.text().startsWith("4.7.1"), r.toString());
            trust.aliasStatuses.add(401);
            assertEquals(451, c.command("RCPT TO:<member2@reports.trustbl.test>").code());
            assertEquals(250, c.command("RCPT TO:<member2@reports.trustbl.test>").code());
            trust.rawStatuses.add(401);
            r = c.data(report);
            assertEquals(451, r.code(), "the report is deferred, never bounced: " + r);
            assertTrue(r.text().startsWith("4.3.0"), r.toString());
            c.command("MAIL FROM:<reporter@example.net>");
            c.command("RCPT TO:<member2@reports.trustbl.test>");
            trust.rawStatuses.add(403);
            assertEquals(451, c.data(report).code());
        }
    }
}
