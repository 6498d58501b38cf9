package net.trustbl.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What bounds the mail transactions of one session: each MAIL costs the MAIL-stage filters' DNS
 * questions (here the sender domain, the HELO name and SPF with a macro that names a fresh host per
 * local part), so neither MAIL, RSET, MAIL… nor transaction after transaction may go on without end.
 */
@QuarkusTest
@TestProfile(MailCommandLimitsTest.Checks.class)
@QuarkusTestResource(GatewayTestResource.class)
class MailCommandLimitsTest {

    public static class Checks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the shipped error limits (10 / 20) and max-mail-commands (100), with short delays
            return Map.of(
                    "gateway.client-checks.spf", "log",
                    "gateway.client-checks.helo-dns", "log",
                    "gateway.tarpit.soft-error-limit", "10",
                    "gateway.tarpit.hard-error-limit", "20",
                    "gateway.tarpit.error-sleep-time", "10ms",
                    "gateway.tarpit.multiplier", "1.0",
                    "gateway.tarpit.max-delay", "10ms");
        }
    }

    @Inject
    SmtpServer server;

    @BeforeEach
    void setUp() {
        GatewayTestResource.downstream.clear();
        // the attacker's own domain: exists, and its SPF record sends a question about
        // <local part>.victim.test to the victim's name servers for every sender address
        GatewayTestResource.dns.a.put("macro.test", new String[] {"192.0.2.20"});
        GatewayTestResource.dns.txt.put("macro.test", "v=spf1 a:%{l}.victim.test ?all");
    }

    /** Sends {@code commands} from another thread (the gateway stops reading them at some point) and reads replies until the session ends. */
    private static List<SmtpTestClient.Reply> pipelineUntilClosed(SmtpTestClient c, String commands, int expected) throws Exception {
        Thread writer = new Thread(() -> {
            try {
                c.send(commands);
            } catch (IOException e) {
                // the gateway closed the session before it read them all
            }
        });
        writer.start();
        List<SmtpTestClient.Reply> replies = new ArrayList<>();
        try {
            while (replies.size() < expected) {
                SmtpTestClient.Reply r = c.read();
                replies.add(r);
                if (r.code() == 421 || r.code() < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            replies.add(new SmtpTestClient.Reply(-2, e.toString()));
        }
        writer.join(10_000);
        return replies;
    }

    /** A session past its greeting and EHLO. */
    private SmtpTestClient greeted() throws IOException {
        SmtpTestClient c = new SmtpTestClient(server.port());
        assertEquals(220, c.read().code());
        assertEquals(250, c.command("EHLO client.example.net").code());
        return c;
    }

    private static SmtpTestClient.Reply last(List<SmtpTestClient.Reply> replies) {
        return replies.get(replies.size() - 1);
    }

    @Test
    void aThousandPipelinedMailRsetPairsEndIn421LongBeforeAndAskFewDnsQuestions() throws Exception {
        int questionsBefore = GatewayTestResource.dns.queries.get();
        List<SmtpTestClient.Reply> replies;
        try (SmtpTestClient c = greeted()) {
            StringBuilder pairs = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                pairs.append("MAIL FROM:<r").append(i).append("x@macro.test>\r\nRSET\r\n");
            }
            replies = pipelineUntilClosed(c, pairs.toString(), 2000);
        }
        int questions = GatewayTestResource.dns.queries.get() - questionsBefore;
        SmtpTestClient.Reply end = last(replies);
        assertEquals(421, end.code(), "the session is closed: " + end + " after " + replies.size() + " replies, "
                + questions + " DNS questions");
        assertTrue(end.text().startsWith("4.7.0 Too many errors"), end.toString());
        assertEquals(250, replies.get(0).code(), "the MAIL itself is accepted: " + replies.get(0));
        // an empty transaction is an error: the 20th RSET (hard-error-limit) gets the 421
        assertTrue(replies.size() <= 2 * 20, "ended at the hard error limit, not after " + replies.size() + " replies");
        // about 3 questions per MAIL (SPF record, the macro's host, ...), 20 MAILs; without the limit thousands
        assertTrue(questions < 150, "DNS questions asked for the session: " + questions);
    }

    @Test
    void transactionsWithRecipientsEndAtMaxMailCommands() throws Exception {
        try (SmtpTestClient c = greeted()) {
            StringBuilder commands = new StringBuilder();
            for (int i = 0; i < 150; i++) {
                commands.append("MAIL FROM:<a@example.net>\r\nRCPT TO:<u").append(i).append("@example.net>\r\nRSET\r\n");
            }
            List<SmtpTestClient.Reply> replies = pipelineUntilClosed(c, commands.toString(), 450);
            SmtpTestClient.Reply end = last(replies);
            assertEquals(421, end.code(), end + " after " + replies.size() + " replies");
            assertTrue(end.text().startsWith("4.7.0 Too many MAIL commands"), end.toString());
            assertEquals(3 * 100 + 1, replies.size(), "100 transactions (each RCPT accepted, no error), then the 101st MAIL");
            assertTrue(replies.subList(0, 300).stream().allMatch(r -> r.code() == 250), replies.subList(0, 300).toString());
        }
    }

    @Test
    void aSessionThatDeliversMoreMessagesThanTheCapIsNeverCutOff() throws Exception {
        // an MTA that reuses its connection (Postfix's connection cache, smtp-source -d): delivered
        // messages do not count toward max-mail-commands
        try (SmtpTestClient c = greeted()) {
            for (int i = 0; i < 120; i++) {
                assertEquals(250, c.command("MAIL FROM:<a@example.net>").code(), "MAIL of message " + i);
                assertEquals(250, c.command("RCPT TO:<r" + i + "@example.net>").code());
                assertEquals(250, c.data("Subject: " + i + "\r\n\r\nhello\r\n").code());
            }
            assertEquals(221, c.command("QUIT").code());
        }
        assertEquals(120, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void aSessionOfSeveralTransactionsWithAcceptedRecipientsIsUnaffected() throws Exception {
        try (SmtpTestClient c = greeted()) {
            for (int i = 0; i < 30; i++) {
                assertEquals(250, c.command("MAIL FROM:<s" + i + "x@macro.test>").code());
                assertEquals(250, c.command("RCPT TO:<a" + i + "@example.net>").code());
                assertEquals(250, c.command("RCPT TO:<b" + i + "@example.net>").code());
                if (i % 3 == 0) {
                    assertEquals(250, c.command("RSET").code(), "a transaction given up after its recipients is no error");
                } else {
                    assertEquals(250, c.data("Subject: " + i + "\r\n\r\nhello\r\n").code());
                }
            }
            assertEquals(221, c.command("QUIT").code());
        }
        assertEquals(20, GatewayTestResource.downstream.messages.size());
    }
}
