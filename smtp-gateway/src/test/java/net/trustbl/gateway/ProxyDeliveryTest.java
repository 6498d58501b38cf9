package net.trustbl.gateway;

import net.trustbl.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.FakeDownstream;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The before-queue delivery model: 250 only after the downstream said 250, refusals passed back. */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class ProxyDeliveryTest {

    @Inject
    SmtpServer server;

    @Inject
    net.trustbl.gateway.config.GatewayConfig config;

    @Test
    void timeoutDefaultsAreRfc5321ServerTimeouts() {
        // RFC 5321 4.5.3.2.7: the server waits 5 minutes for the next command and for DATA input
        assertEquals(java.time.Duration.ofMinutes(5), config.limits().commandTimeout());
        assertEquals(java.time.Duration.ofMinutes(5), config.limits().dataTimeout());
    }

    @BeforeEach
    void clear() {
        GatewayTestResource.downstream.clear();
    }

    static String message(String subject, String... body) {
        return "From: a@example.net\r\nTo: b@example.net\r\nSubject: " + subject + "\r\n\r\n"
                + String.join("\r\n", body) + "\r\n";
    }

    @Test
    void deliversExactlyOnceAndAnswersWithTheDownstreamReply() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            assertEquals(250, c.envelope("a@example.net", "b@example.net", "c@example.net").code());
            SmtpTestClient.Reply r = c.data(message("hello", "line one"));
            assertEquals(250, r.code(), r.toString());
            assertTrue(r.text().contains("queued as"), "the downstream's own reply is passed back: " + r);
            assertEquals(221, c.command("QUIT").code());
        }
        List<FakeDownstream.Received> got = GatewayTestResource.downstream.messages;
        assertEquals(1, got.size());
        assertEquals(List.of("<b@example.net>", "<c@example.net>"), got.get(0).rcpts());
        assertTrue(got.get(0).unstuffedBody().contains("line one"));
    }

    @Test
    void everyRelayedMessageCarriesAReceivedLineOnTopAndXforwardWhenOffered() throws Exception {
        GatewayTestResource.downstream.offerXforward = true;
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.envelope("a@example.net", "b@example.net");
            assertEquals(250, c.data(message("traced", "body")).code());
        }
        List<String> wire = GatewayTestResource.downstream.messages.get(0).wireLines();
        assertTrue(wire.get(0).startsWith("Received: from client.example.net (unknown [127.0.0.1])"), wire.toString());
        assertTrue(wire.get(1).matches("\\tby gateway\\.localdomain \\(TrustBL gateway\\) with ESMTP id [0-9A-Z]+"), wire.get(1));
        assertTrue(wire.get(2).matches("\\tfor <b@example\\.net>; \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000"),
                wire.get(2));
        List<String> cmds = GatewayTestResource.downstream.commands;
        int xforward = cmds.indexOf("XFORWARD NAME=[UNAVAILABLE] ADDR=127.0.0.1 PROTO=ESMTP HELO=client.example.net");
        assertTrue(xforward >= 0 && cmds.get(xforward + 1).startsWith("MAIL FROM:<a@example.net>"),
                "XFORWARD right before MAIL: " + cmds);
    }

    @Test
    void xforwardMailAndTheFirstRcptGoDownstreamInOneWriteWhenPipeliningIsOffered() throws Exception {
        GatewayTestResource.downstream.offerXforward = true;
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            assertEquals(250, c.envelope("a@example.net", "b@example.net", "c@example.net").code());
            assertEquals(250, c.data(message("pipelined", "body")).code());
        }
        FakeDownstream ds = GatewayTestResource.downstream;
        List<String> together = ds.arrivedWithNext;
        assertTrue(together.stream().anyMatch(l -> l.startsWith("XFORWARD "))
                && together.stream().anyMatch(l -> l.startsWith("MAIL FROM:<a@example.net>")),
                "XFORWARD and MAIL arrived with the command after them: " + together + " of " + ds.commands);
        assertEquals(List.of("<b@example.net>", "<c@example.net>"), ds.messages.get(0).rcpts());
    }

    @Test
    void aRefusedMailIsTheAnswerToTheRcptItWasPipelinedWith() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            c.command("EHLO client.example.net");
            assertEquals(250, c.command("MAIL FROM:<refuse-mail@example.net>").code());
            SmtpTestClient.Reply r = c.command("RCPT TO:<b@example.net>");
            assertEquals(553, r.code(), "the downstream's MAIL refusal, not the 503 its RCPT drew: " + r);
            assertEquals(221, c.command("QUIT").code());
        }
    }

    @Test
    void theDownstreamSessionOpensAtTheFirstAcceptedRcptAndAnIdleClientGivesItBack() throws Exception {
        FakeDownstream ds = GatewayTestResource.downstream;
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            c.command("EHLO client.example.net");
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            assertTrue(ds.commands.stream().noneMatch(l -> l.startsWith("EHLO") || l.startsWith("MAIL")),
                    "no downstream session before a recipient passed the filters: " + ds.commands);
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            assertEquals(250, c.data(message("then idle", "x")).code());
            // the client now says nothing: after 10 s between transactions its downstream session is QUIT
            Eventually.within(java.time.Duration.ofSeconds(20), () -> ds.commands.contains("QUIT"));
            assertTrue(ds.commands.contains("QUIT"), "idle client released the downstream: " + ds.commands);
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code(), "and the session goes on");
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            assertEquals(250, c.data(message("after idle", "y")).code());
        }
        assertEquals(2, ds.messages.size());
    }

    @Test
    void dotStuffingIsUndoneFromTheClientAndRedoneToTheDownstream() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.envelope("a@example.net", "b@example.net");
            // client stuffs: ".hidden" -> "..hidden", "." -> "..", "..x" -> "...x"
            assertEquals(250, c.data(message("dots", "..hidden", "..", "...x", "normal")).code());
        }
        FakeDownstream.Received m = GatewayTestResource.downstream.messages.get(0);
        assertTrue(m.wireLines().containsAll(List.of("..hidden", "..", "...x", "normal")), m.wireLines().toString());
        assertTrue(m.unstuffedBody().contains("\r\n.hidden\r\n.\r\n..x\r\nnormal"));
    }

    @Test
    void unknownRecipientIsRefusedAtRcptByTheDownstream() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            SmtpTestClient.Reply r = c.envelope("a@example.net", "unknown@example.net");
            assertEquals(550, r.code());
            assertTrue(r.text().startsWith("5.1.1"), r.toString());
            assertEquals(554, c.command("DATA").code(), "no valid recipient, no data");
        }
    }

    @Test
    void aDownstreamAnswering2xxToDataIsNotBelievedAndTheMessageIsDeferred() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.envelope("data-250@example.net", "b@example.net");
            SmtpTestClient.Reply r = c.data(message("x", "never sent"));
            assertEquals(451, r.code(), "the message was never sent: " + r);
            assertTrue(r.text().startsWith("4.4.2"), r.toString());
            // that downstream connection is gone: the session goes on with a fresh one
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            assertEquals(250, c.data(message("after", "fine")).code());
        }
        assertEquals(1, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void downstreamTempfailAndDroppedConnectionNeverGive250() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.envelope("a@example.net", "b@example.net");
            SmtpTestClient.Reply r = c.data(message("x", "DOWNSTREAM-451"));
            assertEquals(451, r.code(), r.toString());
            // same session, the downstream closes the connection in the middle of the message
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            r = c.data(message("x", "DOWNSTREAM-DROP"));
            assertEquals(451, r.code(), r.toString());
            assertTrue(r.text().startsWith("4.4.2"));
            // and the session still works afterwards with a fresh downstream connection
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            assertEquals(250, c.data(message("after", "fine")).code());
        }
        assertEquals(1, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void sizeLimitIsAdvertisedAndEnforced() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            SmtpTestClient.Reply ehlo = c.command("EHLO client.example.net");
            assertTrue(ehlo.text().contains("SIZE 200000"), ehlo.text());
            assertTrue(ehlo.text().contains("PIPELINING") && ehlo.text().contains("STARTTLS")
                    && ehlo.text().contains("ENHANCEDSTATUSCODES") && ehlo.text().contains("8BITMIME"));
            SmtpTestClient.Reply r = c.command("MAIL FROM:<a@example.net> SIZE=300000");
            assertEquals(552, r.code());
            assertTrue(r.text().startsWith("5.3.4"));
            assertEquals(250, c.command("MAIL FROM:<a@example.net> SIZE=1000").code());
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            String line = "x".repeat(900);
            StringBuilder big = new StringBuilder("Subject: big\r\n\r\n");
            for (int i = 0; i < 250; i++) {
                big.append(line).append("\r\n");
            }
            r = c.data(big.toString());
            assertEquals(552, r.code(), r.toString());
        }
        assertEquals(0, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void commandLinesAndTextLinesHaveLimits() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertEquals(500, c.command("NOOP " + "x".repeat(600)).code());
            assertEquals(250, c.command("NOOP").code(), "the session goes on after an overlong line");
            c.command("EHLO client.example.net");
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            SmtpTestClient.Reply r = c.data("Subject: long\r\n\r\n" + "y".repeat(1200) + "\r\n");
            assertEquals(550, r.code());
        }
        assertEquals(0, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void strictEnvelopeSyntax() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertEquals(503, c.command("MAIL FROM:<a@example.net>").code(), "HELO first");
            c.command("EHLO client.example.net");
            assertEquals(501, c.command("MAIL FROM: <a@example.net>").code());
            assertEquals(501, c.command("MAIL FROM:a@example.net").code());
            assertEquals(501, c.command("MAIL FROM:<@relay.example:a@example.net>").code());
            assertEquals(555, c.command("MAIL FROM:<a@example.net> FOO=bar").code());
            assertEquals(250, c.command("MAIL FROM:<>").code(), "the null sender is fine");
            assertEquals(501, c.command("RCPT TO:<>").code());
            assertEquals(501, c.command("RCPT TO:<b@exa mple.net>").code());
        }
    }

    @Test
    void dsnParametersArePassedThrough() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertTrue(c.command("EHLO client.example.net").text().contains("DSN"));
            assertEquals(250, c.command("MAIL FROM:<a@example.net> RET=HDRS ENVID=QQ314159").code());
            assertEquals(250, c.command("RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net").code());
            assertEquals(555, c.command("RCPT TO:<c@example.net> NOTIFY=SOMETIMES").code());
            assertEquals(250, c.data(message("dsn", "x")).code());
        }
        List<String> cmds = GatewayTestResource.downstream.commands;
        assertTrue(cmds.contains("MAIL FROM:<a@example.net> RET=HDRS ENVID=QQ314159"), cmds.toString());
        assertTrue(cmds.contains("RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net"), cmds.toString());
    }

    @Test
    void helloMustBeAFullyQualifiedName() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertEquals(550, c.command("EHLO localhost").code());
            assertEquals(550, c.command("HELO 12345").code());
            assertEquals(250, c.command("HELO [192.0.2.1]").code());
            assertEquals(250, c.command("EHLO mail.example.net").code());
        }
    }

    @Test
    void aRefusedHeloDoesNotReplaceTheAcceptedOne() throws Exception {
        GatewayTestResource.downstream.offerXforward = true;
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertEquals(250, c.command("EHLO client.example.net").code());
            assertEquals(550, c.command("EHLO x[198.51.100.7]").code(), "not a fully qualified name");
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code(), "the accepted EHLO still stands");
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            assertEquals(250, c.data(message("first", "body")).code());
            // pipelined right behind a refused EHLO: the MAIL must already see the name kept
            c.send("EHLO localhost\r\nMAIL FROM:<a@example.net>\r\n");
            assertEquals(550, c.read().code());
            assertEquals(250, c.read().code());
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            assertEquals(250, c.data(message("second", "body")).code());
        }
        FakeDownstream ds = GatewayTestResource.downstream;
        assertEquals(2, ds.messages.size());
        for (FakeDownstream.Received m : ds.messages) {
            assertTrue(m.wireLines().get(0).startsWith("Received: from client.example.net ("), m.wireLines().get(0));
        }
        assertTrue(ds.commands.stream().filter(l -> l.startsWith("XFORWARD")).allMatch(l -> l.endsWith("HELO=client.example.net")),
                ds.commands.toString());
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertEquals(550, c.command("HELO localhost").code());
            assertEquals(503, c.command("MAIL FROM:<a@example.net>").code(), "a refused HELO is no HELO");
        }
    }

    @Test
    void pipeliningWithoutTheOfferIsRejected() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertEquals(250, c.command("HELO client.example.net").code());
            c.send("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
            SmtpTestClient.Reply r = c.read();
            assertEquals(554, r.code(), r.toString());
        }
    }

    @Test
    void pipeliningAfterEhloWorks() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            c.command("EHLO client.example.net");
            c.send("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<unknown@example.net>\r\nDATA\r\n");
            assertEquals(250, c.read().code());
            assertEquals(250, c.read().code());
            assertEquals(550, c.read().code());
            assertEquals(354, c.read().code());
            c.send(message("pipelined", "ok") + ".\r\n");
            assertEquals(250, c.read().code());
        }
        assertEquals(1, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void downstreamLostBetweenMailAndRcptIsATemporaryFailureNeverItsStray503() throws Exception {
        FakeDownstream ds = GatewayTestResource.downstream;
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            c.command("EHLO client.example.net");
            int hungUpBefore = ds.hungUp.get();
            // the downstream answers 250 to this MAIL and then hangs up (the gateway sends the MAIL
            // with the first RCPT, pipelined, so the hang-up comes between the two answers)
            assertEquals(250, c.command("MAIL FROM:<drop-after-mail@example.net>").code());
            SmtpTestClient.Reply r = c.command("RCPT TO:<b@example.net>");
            assertTrue(ds.hungUp.get() > hungUpBefore, "the downstream took the MAIL and hung up");
            assertEquals(451, r.code(), "a fresh downstream session would answer RCPT without MAIL with 503: " + r);
            assertTrue(r.text().startsWith("4.4.2"), r.toString());
            assertEquals(451, c.command("RCPT TO:<c@example.net>").code(), "every recipient of the lost transaction");
            assertEquals(451, c.command("DATA").code(), "no message is taken for a transaction the downstream lost");
            assertEquals(250, c.command("RSET").code());
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            assertEquals(250, c.data(message("after the drop", "fine")).code());
        }
        assertEquals(1, ds.messages.size());
        assertEquals(List.of("<b@example.net>"), ds.messages.get(0).rcpts());
        assertTrue(ds.commands.stream().noneMatch(l -> l.startsWith("RCPT TO:<c@")), ds.commands.toString());
    }

    @Test
    void textLinesAre998OctetsPlusCrlfAndCommandLines510PlusCrlf() throws Exception {
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertEquals(250, c.command("NOOP " + "x".repeat(505)).code(), "510 octets + CRLF = 512 is allowed");
            assertEquals(500, c.command("NOOP " + "x".repeat(506)).code(), "513 octets is not");
            c.command("EHLO client.example.net");
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            SmtpTestClient.Reply r = c.data("Subject: long\r\n\r\n" + "y".repeat(998) + "\r\n");
            assertEquals(250, r.code(), "998 octets + CRLF = 1000 is allowed: " + r);
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            r = c.data("Subject: long\r\n\r\n" + "z".repeat(999) + "\r\n");
            assertEquals(550, r.code(), "999 octets + CRLF = 1001 is refused: " + r);
        }
        assertEquals(1, GatewayTestResource.downstream.messages.size());
        assertTrue(GatewayTestResource.downstream.messages.get(0).wireLines().contains("y".repeat(998)));
    }

    @Test
    void dsnIsOfferedOnlyWhileTheDownstreamOffersIt() throws Exception {
        FakeDownstream ds = GatewayTestResource.downstream;
        try {
            ds.offerDsn = false;
            try (SmtpTestClient c = new SmtpTestClient(server.port())) {
                c.envelope("a@example.net", "b@example.net"); // the gateway sees the downstream's EHLO
                assertEquals(250, c.data(message("learn", "x")).code());
            }
            try (SmtpTestClient c = new SmtpTestClient(server.port())) {
                c.read();
                SmtpTestClient.Reply ehlo = c.command("EHLO client.example.net");
                assertTrue(!ehlo.text().contains("DSN"), "no DSN promised that the downstream cannot keep: " + ehlo);
                assertEquals(501, c.command("MAIL FROM:<a@example.net> RET=HDRS").code());
            }
        } finally {
            ds.offerDsn = true;
            try (SmtpTestClient c = new SmtpTestClient(server.port())) {
                c.envelope("a@example.net", "b@example.net");
                assertEquals(250, c.data(message("learn again", "x")).code());
            }
        }
        try (SmtpTestClient c = new SmtpTestClient(server.port())) {
            c.read();
            assertTrue(c.command("EHLO client.example.net").text().contains("DSN"));
        }
    }
}
