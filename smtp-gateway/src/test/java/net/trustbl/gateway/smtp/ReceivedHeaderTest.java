package net.trustbl.gateway.smtp;

import net.trustbl.evidence.EvidenceExtractor;
import net.trustbl.evidence.ExtractedReport;
import net.trustbl.evidence.Extraction;
import net.trustbl.evidence.Mailhosts;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's Received line read by the report intake's own parser: a member who registers the
 * gateway as a mail host gets forwarded spam traced to the real client, not to the gateway.
 */
class ReceivedHeaderTest {

    private static final ZonedDateTime AT = ZonedDateTime.of(2026, 12, 2, 9, 33, 26, 0, ZoneOffset.UTC);

    static Transaction client(String ip, String helo, String name) throws Exception {
        Transaction tx = new Transaction(InetAddress.getByName(ip));
        tx.helo = helo;
        tx.esmtp = true;
        tx.clientName = name;
        tx.id = "MB3X7K2Q0AZ";
        tx.recipients.add("bob@member-mail.net");
        return tx;
    }

    @Test
    void theDateIsFormattedPerSecondInUtc() {
        assertEquals("Wed, 2 Dec 2026 09:33:26 +0000", ReceivedHeader.date(AT));
        assertEquals("Wed, 2 Dec 2026 09:33:26 +0000", ReceivedHeader.date(AT.plusNanos(900_000_000)), "same second");
        assertEquals("Wed, 2 Dec 2026 09:33:27 +0000", ReceivedHeader.date(AT.plusSeconds(1)), "the next second is new text");
        assertEquals("Wed, 2 Dec 2026 09:33:26 +0000",
                ReceivedHeader.date(AT.withZoneSameInstant(java.time.ZoneId.of("Europe/Berlin"))), "the instant, in UTC");
        assertEquals("Thu, 3 Dec 2026 09:33:26 +0000", ReceivedHeader.date(AT.plusDays(1)));
    }

    @Test
    void lineHasThePostfixShapeWithProtocolIdSingleRecipientAndDate() throws Exception {
        Transaction tx = client("45.67.89.10", "mail.bulk-offers.example", null);
        assertEquals("Received: from mail.bulk-offers.example (unknown [45.67.89.10])\r\n"
                + "\tby gw.member-mail.net (TrustBL gateway) with ESMTP id MB3X7K2Q0AZ\r\n"
                + "\tfor <bob@member-mail.net>; Wed, 2 Dec 2026 09:33:26 +0000",
                ReceivedHeader.build(tx, "gw.member-mail.net", AT));
        tx.tls = true;
        tx.recipients.add("carol@member-mail.net");
        String two = ReceivedHeader.build(tx, "gw.member-mail.net", AT);
        assertTrue(two.contains("with ESMTPS id") && !two.contains("for <"), "no 'for' with two recipients: " + two);
        tx.helo = "evil(x);y";
        assertTrue(ReceivedHeader.build(tx, "gw", AT).startsWith("Received: from evil?x??y (unknown"),
                "a HELO cannot close the clause or open a comment");
    }

    @Test
    void forwardedSpamIsTracedThroughTheGatewayToTheRealClient() throws Exception {
        String gatewayLine = ReceivedHeader.build(client("45.67.89.10", "mail.bulk-offers.example", "mail.bulk-offers.example"),
                "gw.member-mail.net", AT);
        String spam = "Received: from gw.member-mail.net (localhost [127.0.0.1])\r\n"
                + "\tby mx1.member-mail.net (Postfix) with ESMTP id 4Yk; Wed, 2 Dec 2026 09:33:27 +0000\r\n"
                + gatewayLine + "\r\n"
                + "Received: from forged.example (forged.example [203.0.113.200]) by relay.example; Wed, 2 Dec 2026 09:30:00 +0000\r\n"
                + "From: deals@bulk-offers.example\r\nTo: bob@member-mail.net\r\nSubject: Cheap pills\r\n"
                + "Message-ID: <1@bulk-offers.example>\r\nDate: Wed, 2 Dec 2026 09:33:20 +0000\r\n\r\nbuy now\r\n";
        String forward = "From: bob@member-mail.net\r\nTo: report@trustbl.example\r\nSubject: Fwd\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n"
                + "--b0\r\nContent-Type: message/rfc822\r\n\r\n" + spam + "\r\n--b0--\r\n";
        Mailhosts member = Mailhosts.parse(List.of("gw.member-mail.net", "mx1.member-mail.net"));
        Extraction e = new EvidenceExtractor().extract(forward.getBytes(StandardCharsets.UTF_8), member);
        assertEquals(1, e.reports().size(), e.errors().toString());
        ExtractedReport r = e.reports().get(0);
        assertEquals("45.67.89.10", r.sourceIp(), "the client the gateway saw, not the gateway nor a forged hop");
        assertEquals("mailhost-walk", r.rule(), "full strength: the walk passed the registered gateway");
        assertEquals("mail.bulk-offers.example", r.helo());
    }
}
