package net.trustbl.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A member's inline forward (the mail client's plain "Forward") carries the headers of the
 * member's own provider: it is refused with a reason, never filed against the forwarder's relay.
 */
class InlineForwardTest {

    private static final EvidenceExtractor EXTRACTOR = new EvidenceExtractor();
    private static final String MEMBER = "bob.member@gmail.com";
    /** The forwarder's outbound relay, as the report gateway records it: what the old code reported. */
    private static final String RELAY = "209.85.220.41";
    private static final String SPAMMER = "45.134.26.17";

    private static String received(String ip) {
        return "Received: from relay.example (relay.example [" + ip + "])\r\n\tby mx.reports.trustbl.example (TrustBL) with ESMTPS id 7Qa;"
                + " Mon, 23 Nov 2026 11:00:02 +0100\r\n";
    }

    /** A message sent through the forwarder's relay: From, Subject, more headers, then the MIME body. */
    private static String message(String from, String subject, String moreHeaders, String contentType, String body) {
        return received(RELAY)
                + "From: " + from + "\r\nTo: x7k2q@reports.trustbl.example\r\nSubject: " + subject + "\r\n"
                + "Date: Mon, 23 Nov 2026 11:00:00 +0100\r\nMessage-ID: <fwd-" + subject.hashCode() + "@mail.example>\r\n"
                + moreHeaders + "MIME-Version: 1.0\r\nContent-Type: " + contentType + "\r\n\r\n" + body;
    }

    private static String plain(String from, String subject, String body) {
        return message(from, subject, "", "text/plain; charset=UTF-8", body);
    }

    private static String spam(String ip, String from, String subject) {
        return received(ip) + "From: " + from + "\r\nTo: " + MEMBER + "\r\nSubject: " + subject + "\r\n"
                + "Date: Mon, 23 Nov 2026 09:59:58 +0100\r\nMessage-ID: <s" + subject.hashCode() + "@bulk-offers.example>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nBuy now!!!\r\n";
    }

    private static Extraction extract(String message) {
        return EXTRACTOR.extract(message.getBytes(StandardCharsets.UTF_8), Mailhosts.none(), List.of(MEMBER));
    }

    private static void assertRefused(Extraction x, String part) {
        assertTrue(x.reports().isEmpty(), "nothing is filed: " + x.reports());
        assertEquals(1, x.errors().size(), x.errors().toString());
        String error = x.errors().get(0);
        assertTrue(error.startsWith(part + ": an inline forward"), error);
        assertTrue(error.contains("forward the spam as an attachment"), error);
    }

    /** A text/plain message from {@code from} is refused as an inline forward. */
    private static void assertPlainRefused(String from, String subject, String body) {
        assertRefused(extract(plain(from, subject, body)), "message");
    }

    private static void assertReported(Extraction x, String source) {
        assertEquals(1, x.reports().size(), "reported: " + x.errors());
        assertEquals(source, x.reports().get(0).sourceIp());
    }

    // ------------------------------------------------------------------ each client's separator

    @Test
    void gmailPlainAndHtml() {
        String text = "fyi\r\n\r\n---------- Forwarded message ---------\r\nFrom: Pharma Deals <deals@bulk-offers.example>\r\n"
                + "Date: Mon, Nov 23, 2026 at 9:59 AM\r\nSubject: Cheap meds online\r\nTo: <" + MEMBER + ">\r\n\r\nBuy now!!!\r\n";
        // separator and subject prefix: a forward even when the member's address is not known
        assertRefused(EXTRACTOR.extract(plain("Bob <" + MEMBER + ">", "Fwd: Cheap meds online", text)
                .getBytes(StandardCharsets.UTF_8), Mailhosts.none()), "message");
        String html = "<div dir=\"ltr\">fyi<br><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">"
                + "---------- Forwarded message ---------<br>From: <strong class=\"gmail_sendername\" dir=\"auto\">Pharma Deals</strong>"
                + " <span dir=\"auto\">&lt;deals@bulk-offers.example&gt;</span><br>Date: Mon, Nov 23, 2026</div></div></div>";
        String alternative = "--alt\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + text
                + "\r\n--alt\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + html + "\r\n--alt--\r\n";
        assertRefused(extract(message("Bob <" + MEMBER + ">", "Fwd: Cheap meds online", "",
                "multipart/alternative; boundary=\"alt\"", alternative)), "message");
        // an HTML-only forward: the separator is found between the tags
        assertRefused(extract(message("Bob <bob@elsewhere.example>", "Fwd: Cheap meds online", "",
                "text/html; charset=UTF-8", html)), "message");
    }

    @Test
    void outlookUnderscoresAndOriginalMessage() {
        assertPlainRefused("Bob Member <bob@contoso.example>", "FW: Cheap meds online",
                "see below\r\n\r\n________________________________\r\nFrom: Pharma Deals <deals@bulk-offers.example>\r\n"
                        + "Sent: Monday, November 23, 2026 9:59 AM\r\nTo: Bob Member\r\nSubject: Cheap meds online\r\n\r\nBuy now!!!\r\n");
        assertPlainRefused("Bob Member <bob@contoso.example>", "fw: Cheap meds online",
                "\r\n\r\n-----Original Message-----\r\n*From:* Pharma Deals [mailto:deals@bulk-offers.example]\r\n"
                        + "*Sent:* Monday, November 23, 2026 9:59 AM\r\n\r\nBuy now!!!\r\n");
    }

    @Test
    void thunderbirdForwardedAndOriginalMessage() {
        // the header table puts Subject and Date before From; Thunderbird marks the forward in a header as well
        String body = "\r\n\r\n\r\n-------- Forwarded Message --------\r\nSubject: \tCheap meds online\r\n"
                + "Date: \tMon, 23 Nov 2026 09:59:58 +0100\r\nFrom: \tPharma Deals <deals@bulk-offers.example>\r\n"
                + "To: \t" + MEMBER + "\r\n\r\nBuy now!!!\r\n";
        assertRefused(extract(message("Bob <bob@elsewhere.example>", "Cheap meds online",
                "X-Forwarded-Message-Id: <s1@bulk-offers.example>\r\n", "text/plain; charset=UTF-8; format=flowed", body)),
                "message");
        assertPlainRefused("Bob <bob@elsewhere.example>", "Fwd: Cheap meds online",
                body.replace("Forwarded Message", "Original Message"));
    }

    @Test
    void appleMail() {
        assertPlainRefused("Bob <bob@elsewhere.example>", "Fwd: Cheap meds online",
                "\r\n\r\nBegin forwarded message:\r\n\r\n> From: Pharma Deals <deals@bulk-offers.example>\r\n"
                        + "> Subject: Cheap meds online\r\n> Date: 23 November 2026 at 09:59:58 CET\r\n\r\n> Buy now!!!\r\n");
    }

    @Test
    void localisedSeparatorsAndPrefixes() {
        assertPlainRefused("Bob <bob@elsewhere.example>", "WG: Günstige Medikamente",
                "\r\n-------- Weitergeleitete Nachricht --------\r\nBetreff: \tGünstige Medikamente\r\n"
                        + "Datum: \tMon, 23 Nov 2026 09:59:58 +0100\r\nVon: \tPharma <deals@bulk-offers.example>\r\n\r\nJetzt!\r\n");
        assertPlainRefused("Bob <bob@elsewhere.example>", "TR: Médicaments",
                "---------- Message transféré ---------\r\nDe : Pharma <deals@bulk-offers.example>\r\nDate: lun. 23 nov. 2026\r\n");
        assertPlainRefused("Bob <bob@elsewhere.example>", "RV: Medicamentos baratos",
                "---------- Mensaje reenviado ---------\r\nDe: Pharma <deals@bulk-offers.example>\r\nDate: lun, 23 nov 2026\r\n");
        assertPlainRefused("Bob <bob@elsewhere.example>", "[SPAM] Doorst: Goedkope medicijnen",
                "-----Oorspronkelijk bericht-----\r\nVan: Pharma <deals@bulk-offers.example>\r\n");
    }

    // ------------------------------------------------------------------ the member's own address

    @Test
    void theMembersOwnAddressWithOneOtherSignalIsAForward() {
        // the member removed "Fwd:" from the subject: own address and separator
        assertPlainRefused("Bob <Bob.Member@Gmail.com>", "Cheap meds online",
                "---------- Forwarded message ---------\r\nFrom: Pharma Deals <deals@bulk-offers.example>\r\n");
        // the client wrote no separator the test knows: own address (Sender, Return-Path count too) and prefix
        assertRefused(extract(message("Bob <bob@alias.example>", "Fwd: Cheap meds online",
                "Sender: " + MEMBER + "\r\n", "text/plain", "Buy now!!!\r\n")), "message");
        assertRefused(extract(message("Bob <bob@alias.example>", "Fwd: Cheap meds online",
                "Return-Path: <" + MEMBER + ">\r\n", "text/plain", "Buy now!!!\r\n")), "message");
    }

    // ------------------------------------------------------------------ spam that only looks like one

    @Test
    void aRawSpamWithAForwardSubjectButNoSeparatorIsStillReported() {
        assertReported(extract(spam(SPAMMER, "Pharma Deals <deals@bulk-offers.example>", "Fwd: Your invoice")), SPAMMER);
        assertReported(extract(spam(SPAMMER, "deals@bulk-offers.example", "FW: re: urgent")), SPAMMER);
    }

    @Test
    void aRawSpamWithOneSignalOnlyIsStillReported() {
        // a forwarded-looking body without a forward subject, from somebody else
        String body = "---------- Forwarded message ---------\r\nFrom: CEO <ceo@bank.example>\r\n\r\nWire the money\r\n";
        assertReported(extract(received(SPAMMER) + "From: deals@bulk-offers.example\r\nSubject: Urgent payment\r\n"
                + "Message-ID: <a1@bulk-offers.example>\r\nContent-Type: text/plain\r\n\r\n" + body), SPAMMER);
        // extortion spam forges the recipient's own address as From: on its own that is not a forward
        assertReported(extract(spam(SPAMMER, "<" + MEMBER + ">", "I hacked your account")), SPAMMER);
        // a display name that looks like the member's address is not the address
        assertReported(extract(spam(SPAMMER, "\"" + MEMBER + "\" <deals@bulk-offers.example>", "Fwd: offer")), SPAMMER);
        // "Fwd" as a word, not a prefix
        assertReported(extract(spam(SPAMMER, "deals@bulk-offers.example", "Fwdx: Fw offers")), SPAMMER);
    }

    // ------------------------------------------------------------------ attached messages

    @Test
    void aForwardAsAttachmentIsReportedAgainstTheOriginalsSource() {
        // the wrapper is the member's own forward (own address, prefix, separator text) but it attaches
        // the spam: the attachment is what is reported, from its own Received lines
        String wrapper = message("Bob <" + MEMBER + ">", "Fwd: Cheap meds online", "", "multipart/mixed; boundary=\"b0\"",
                "--b0\r\nContent-Type: text/plain\r\n\r\n---------- Forwarded message ---------\r\nFrom: deals@bulk-offers.example\r\n"
                        + "\r\n--b0\r\nContent-Type: message/rfc822\r\n\r\n"
                        + spam(SPAMMER, "Pharma Deals <deals@bulk-offers.example>", "Fwd: Cheap meds online") + "\r\n--b0--\r\n");
        Extraction x = extract(wrapper);
        assertReported(x, SPAMMER);
        assertEquals("attachment", x.reports().get(0).form());
        assertTrue(x.errors().isEmpty(), x.errors().toString());
    }

    @Test
    void anAttachedFakeForwardIsTheSpamItselfAndIsReported() {
        // phishing dressed as a forward (a "Fwd:" subject over a made-up Gmail separator), attached
        // as the member was told to: its Received lines are the spammer's
        String fake = received(SPAMMER) + "From: Accounts <billing@invoices-pay.example>\r\nTo: " + MEMBER
                + "\r\nSubject: Fwd: Invoice 4471 overdue\r\nDate: Mon, 23 Nov 2026 09:59:58 +0100\r\n"
                + "Message-ID: <fake-fwd@invoices-pay.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n"
                + "---------- Forwarded message ---------\r\nFrom: CFO <cfo@yourcompany.example>\r\n\r\nPlease pay today.\r\n";
        String wrapper = message("Bob <" + MEMBER + ">", "Fwd: Invoice 4471 overdue", "", "multipart/mixed; boundary=\"b0\"",
                "--b0\r\nContent-Type: text/plain\r\n\r\nspam attached\r\n"
                        + "--b0\r\nContent-Type: message/rfc822\r\n\r\n" + fake + "\r\n--b0--\r\n");
        Extraction x = extract(wrapper);
        assertReported(x, SPAMMER);
        assertTrue(x.errors().isEmpty(), x.errors().toString());
        // the same fake forward sent raw to the report address looks like an inline forward: refused with the reason
        assertRefused(extract(fake), "message");
    }

    @Test
    void anAttachedInlineForwardIsRefusedAndTheOtherAttachmentsAreReported() {
        // the member attached one of its own earlier inline forwards: its headers are the member's provider's
        String inline = plain("Bob <" + MEMBER + ">", "Fwd: Cheap meds online",
                "---------- Forwarded message ---------\r\nFrom: Pharma Deals <deals@bulk-offers.example>\r\n\r\nBuy now!!!\r\n");
        String wrapper = message("Bob <" + MEMBER + ">", "Fwd: two spams", "", "multipart/mixed; boundary=\"b0\"",
                "--b0\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                        + "--b0\r\nContent-Type: message/rfc822\r\n\r\n" + inline + "\r\n"
                        + "--b0\r\nContent-Type: message/rfc822\r\n\r\n" + spam(SPAMMER, "deals@bulk-offers.example", "Pills")
                        + "\r\n--b0--\r\n");
        Extraction x = extract(wrapper);
        assertReported(x, SPAMMER);
        assertEquals("attachment 2", x.reports().get(0).part());
        assertEquals(1, x.errors().size(), x.errors().toString());
        assertTrue(x.errors().get(0).startsWith("attachment 1: an inline forward"), x.errors().toString());
    }

    @Test
    void theRefusalFitsTheGatewaysReplyAndSaysWhatToDo() {
        Extraction x = extract(plain("Bob <" + MEMBER + ">", "Fwd: Cheap meds online",
                "---------- Forwarded message ---------\r\nFrom: deals@bulk-offers.example\r\n"));
        // RawReportService answers 422 "no spam source could be found: <summary>"; the gateway quotes 200 characters
        String detail = "no spam source could be found: " + x.errorSummary();
        assertTrue(detail.length() <= 200, detail.length() + ": " + detail);
        assertTrue(detail.contains("attach"), detail);
    }
}
