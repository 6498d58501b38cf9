package net.trustbl.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class EvidenceExtractorTest {

    private static final EvidenceExtractor EXTRACTOR = new EvidenceExtractor();
    private static final Mailhosts MEMBER = Mailhosts.parse(List.of("mx1.member-mail.net", "91.198.40.0/27"));

    private static String spam(String received, String subject, String messageId, String body) {
        return received
                + "From: deals@bulk-offers.example\r\nTo: bob@member-mail.net\r\n"
                + "Subject: " + subject + "\r\n"
                + (messageId == null ? "" : "Message-ID: " + messageId + "\r\n")
                + "Date: Mon, 23 Nov 2026 09:59:58 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + body;
    }

    private static String postfix(String ip) {
        return "Received: from spam.example (unknown [" + ip + "])\r\n\tby mx1.member-mail.net (Postfix) with ESMTP id 4Yk;"
                + " Mon, 23 Nov 2026 10:00:02 +0100\r\n";
    }

    private static String forward(List<String> parts) {
        StringBuilder sb = new StringBuilder("From: bob@member-mail.net\r\nTo: report@trustbl.example\r\nSubject: Fwd\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        for (String p : parts) {
            sb.append("--b0\r\n").append(p).append("\r\n");
        }
        return sb.append("--b0--\r\n").toString();
    }

    private static String rfc822(String message) {
        return "Content-Type: message/rfc822\r\n\r\n" + message;
    }

    private static Extraction extract(String message, Mailhosts hosts) {
        return EXTRACTOR.extract(message.getBytes(StandardCharsets.UTF_8), hosts);
    }

    // ------------------------------------------------------------------ Mailhosts

    @Test
    void mailhostsNameTheBadEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mailhosts.parse(List.of("mx1.member-mail.net", "mx..broken.net")));
        assertTrue(e.getMessage().contains("mx..broken.net"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mailhosts.parse(List.of("300.1.2.3")));
        assertTrue(e.getMessage().contains("300.1.2.3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mailhosts.parse(List.of("10.0.0.0/33")));
        assertTrue(e.getMessage().contains("10.0.0.0/33"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mailhosts.parse(List.of("mail server")));
        assertTrue(e.getMessage().contains("mail server"), e.getMessage());
    }

    @Test
    void mailhostsMatchNamesAndRanges() {
        Mailhosts m = Mailhosts.parse(List.of(" *.Outlook.com ", "", "mx1.member-mail.net.", "2a01:4f8::/32", "91.198.40.0/27"));
        assertFalse(m.isEmpty());
        assertEquals(List.of("*.outlook.com", "mx1.member-mail.net", "2a01:4f8::/32", "91.198.40.0/27"), m.entries());
        assertTrue(m.matchesName("AM4PEPF00027A6C.mail.protection.outlook.com"));
        assertFalse(m.matchesName("outlook.com.evil.example"));
        assertTrue(m.matchesName("MX1.member-mail.net."));
        assertFalse(m.matchesName("mx11.member-mail.net"));
        assertTrue(m.containsAddress(ReceivedParser.parseAddress("91.198.40.31")));
        assertFalse(m.containsAddress(ReceivedParser.parseAddress("91.198.40.32")));
        assertTrue(m.containsAddress(ReceivedParser.parseAddress("[IPv6:2a01:4f8:c17::1]")));
        assertTrue(Mailhosts.parse(List.of(" ", "")).isEmpty());
        assertTrue(Mailhosts.parse(List.of()).isEmpty());
    }

    // ------------------------------------------------------------------ facts

    @Test
    void sameSpamGivesSameDigestsWhateverTheForwardingEncoding() {
        String original = spam(postfix("45.134.26.17"), "Cheap meds", "<ABC.123@Bulk-Offers.EXAMPLE>", "Buy now\r\nhttp://x.example/\r\n");
        String asBase64File = "Content-Type: application/octet-stream; name=\"spam.eml\"\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"spam.eml\"\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(original.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
        Extraction x = extract(forward(List.of(rfc822(original), asBase64File)), MEMBER);
        assertEquals(2, x.reports().size(), x.toString());
        ExtractedReport a = x.reports().get(0);
        ExtractedReport b = x.reports().get(1);
        assertEquals(a.bodySha256(), b.bodySha256());
        assertEquals(a.messageIdSha256(), b.messageIdSha256());
        assertEquals(Digests.sha256Hex("ABC.123@bulk-offers.example"), a.messageIdSha256());
        assertEquals(a.duplicateKey(), b.duplicateKey());
        assertTrue(a.duplicateKey().startsWith("mid:"));

        String otherBody = spam(postfix("45.134.26.17"), "Cheap meds", null, "Buy later\r\n");
        ExtractedReport c = extract(otherBody, MEMBER).reports().get(0);
        assertNull(c.messageIdSha256());
        assertNotEquals(a.bodySha256(), c.bodySha256());
        assertEquals("body:" + c.bodySha256(), c.duplicateKey());
    }

    @Test
    void subjectIsCutBeforeItsEncodedWordsAreDecoded() {
        // decoding encoded words is slow on hostile input ("=?" x 2048: 90-170 ms per subject), and
        // only the first 500 characters are stored: decode no more than MAX_SUBJECT_CHARS
        String hostile = "=?".repeat(2048);
        ExtractedReport cut = extract(spam(postfix("45.134.26.17"), hostile, null, "x"), MEMBER).reports().get(0);
        assertEquals(HeaderText.MAX_SUBJECT_CHARS, cut.subject().length());
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HeaderText.decodeSubject(hostile);
            best = Math.min(best, System.nanoTime() - start);
        }
        assertTrue(best < 100_000_000L, "took " + best / 1_000_000 + " ms");

        assertEquals("Café offer", HeaderText.decodeSubject("=?UTF-8?Q?Caf=C3=A9?= offer"));
        ExtractedReport r = extract(spam(postfix("45.134.26.17"), "=?UTF-8?B?R3LDvMOfZQ==?= from Bob", null, "x"), MEMBER)
                .reports().get(0);
        assertEquals("Grüße from Bob", r.subject());
    }

    @Test
    void redactedEvidenceCarriesNoRecipientReporterOrBody() {
        ExtractedReport r = extract(spam(postfix("45.134.26.17"), "Hello Bob", "<x@y.example>", "private body"), MEMBER)
                .reports().get(0);
        RedactedEvidence pub = r.redacted();
        assertEquals("45.134.26.17", pub.sourceIp());
        assertEquals("spam.example", pub.helo());
        assertNull(pub.subject());
        assertEquals("Hello Bob", r.redacted(true).subject());
        List<String> components = Arrays.stream(RedactedEvidence.class.getRecordComponents()).map(c -> c.getName()).toList();
        assertEquals(List.of("time", "sourceIp", "helo", "rdns", "subject"), components);
    }

    @Test
    void hostileHeloIsCleanedBeforeItCanReachAPublicPage() {
        String rcv = "Received: from <script>alert(1)</script> (unknown [45.134.26.17]) by mx1.member-mail.net"
                + " (Postfix); Mon, 23 Nov 2026 10:00:02 +0100\r\n";
        ExtractedReport r = extract(spam(rcv, "x", null, "x"), MEMBER).reports().get(0);
        assertFalse(r.helo().contains("<"), r.helo());
        assertEquals("45.134.26.17", r.sourceIp());
    }

    @Test
    void moreThanTwentyAttachmentsAreCappedWithAReason() {
        String one = rfc822(spam(postfix("45.134.26.17"), "x", null, "x"));
        Extraction x = extract(forward(java.util.Collections.nCopies(25, one)), MEMBER);
        assertEquals(EvidenceExtractor.MAX_ATTACHED, x.reports().size());
        assertEquals(1, x.errors().size());
        assertTrue(x.errors().get(0).contains("more than 20 attached messages"), x.errors().toString());
    }

    @Test
    void emptyInputSaysSo() {
        assertEquals(List.of("the message is empty"), EXTRACTOR.extract(new byte[0], MEMBER).errors());
        assertEquals(List.of("the message is empty"), EXTRACTOR.extract(null, null).errors());
        Extraction x = extract(spam("", "x", null, "x"), null);
        assertTrue(x.reports().isEmpty());
        assertTrue(x.errorSummary().contains("no Received headers"), x.errorSummary());
    }

    @Test
    void arfWithoutTheOriginalUsesSourceIpAsWeakEvidenceAndNotTheReportSubject() {
        String arf = "From: fbl@isp.example\r\nSubject: FW: abuse report\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"r\"\r\n\r\n"
                + "--r\r\nContent-Type: text/plain\r\n\r\nabuse report\r\n"
                + "--r\r\nContent-Type: message/feedback-report\r\n\r\n"
                + "Feedback-Type: abuse\r\nUser-Agent: x/1\r\nVersion: 1\r\nSource-IP: [91.215.85.12]\r\n\r\n--r--\r\n";
        Extraction x = extract(arf, MEMBER);
        assertEquals(1, x.reports().size(), x.toString());
        ExtractedReport r = x.reports().get(0);
        assertEquals("91.215.85.12", r.sourceIp());
        assertEquals(0.5, r.strength());
        assertEquals("arf-source-ip", r.rule());
        assertTrue(r.note().contains("not confirmed: the original message is not included"), r.note());
        assertEquals("", r.subject());
        assertNull(r.messageIdSha256());
        assertNull(r.bodySha256());

        Extraction bad = extract(arf.replace("[91.215.85.12]", "not-an-ip"), MEMBER);
        assertTrue(bad.reports().isEmpty());
        assertTrue(bad.errorSummary().contains("Source-IP 'not-an-ip' is not an IP address"), bad.errorSummary());
    }

    @Test
    void receivedParserReadsWhatEachMtaRecords() {
        ReceivedHop postfix = ReceivedParser.parse(1, "from [10.0.0.5] (unknown [IPv6:2a01:4f8::7]) by mx.example (Postfix)"
                + " with ESMTPS id X; Mon, 23 Nov 2026 10:00:02 +0100 (CET)");
        assertEquals(ReceivedHop.Kind.HANDOVER, postfix.kind());
        assertEquals("2a01:4f8::7", postfix.fromAddress().toString());
        assertEquals("[10.0.0.5]", postfix.helo());
        assertNull(postfix.rdns());
        assertEquals("2026-11-23T09:00:02Z", postfix.time().toString());
        assertFalse(postfix.authenticated());

        ReceivedHop exchange = ReceivedParser.parse(1, "from EXCH01.corp.example ([fe80::1c4a:9f2e:3b11:aa01%12]) by"
                + " EXCH02.corp.example (10.20.0.16) with mapi id 15.02.1544.004; Mon, 23 Nov 2026 10:00:09 +0100");
        assertEquals("fe80::1c4a:9f2e:3b11:aa01", exchange.fromAddress().toString());
        assertEquals("EXCH02.corp.example", exchange.byName());
        assertEquals("10.20.0.16", exchange.byAddress().toString());

        ReceivedHop submission = ReceivedParser.parse(1, "from laptop (dsl.isp.example [85.214.9.77]) (Authenticated sender: bob)"
                + " by smtp.example (Postfix) with ESMTPSA id Y; Mon, 23 Nov 2026 10:00:02 +0100");
        assertTrue(submission.authenticated());

        assertEquals(ReceivedHop.Kind.LOCAL, ReceivedParser.parse(1, "(qmail 1 invoked by uid 0); 23 Nov 2026 09:00:02 -0000").kind());
        assertEquals(ReceivedHop.Kind.LOCAL, ReceivedParser.parse(1, "by mx.example (Postfix, from userid 0) id Z; Mon, 23 Nov 2026 10:00:02 +0100").kind());
        assertEquals(ReceivedHop.Kind.LOCAL, ReceivedParser.parse(1, "from [unix socket] by imap.example (Cyrus) with LMTPA; Mon, 23 Nov 2026 10:00:02 +0100").kind());
        assertEquals(ReceivedHop.Kind.MALFORMED, ReceivedParser.parse(1, "garbage").kind());
    }

    @Test
    void qmailLinesAreReadWithIdentAndTheirUnverifiedHostNameIsNoTrust() {
        // qmail writes "(ident@address)" and a remote host name it never verified; neither the
        // HELO nor that name may extend the trust to a forged line below naming 8.8.8.8
        Mailhosts hosts = Mailhosts.parse(List.of("mx.member.example"));
        String forged = "Received: from spam.example (spam.example [8.8.8.8]) by mx.member.example (Postfix) with ESMTP id F;"
                + " Mon, 23 Nov 2026 09:59:00 +0100\r\n";
        String[] qmail = {
            "Received: from unknown (HELO mx.member.example) (x@%s)\r\n  by mx.member.example with SMTP; 23 Nov 2026 09:00:02 -0000\r\n",
            "Received: from mx.member.example (HELO x) (%s)\r\n  by mx.member.example with SMTP; 23 Nov 2026 09:00:02 -0000\r\n",
        };
        for (String line : qmail) {
            Extraction doc = extract(spam(String.format(line, "198.51.100.7") + forged, "x", null, "x"), hosts);
            assertTrue(doc.reports().isEmpty(), doc.toString());
            assertTrue(doc.errorSummary().contains("198.51.100.7"), doc.errorSummary());

            Extraction x = extract(spam(String.format(line, "45.134.26.17") + forged, "x", null, "x"), hosts);
            assertEquals(1, x.reports().size(), x.toString());
            assertEquals("45.134.26.17", x.reports().get(0).sourceIp(), x.toString());
            assertNull(x.reports().get(0).rdns(), "qmail's remote host name is not verified");
        }
    }

    @Test
    void anUnreadableLineIsAFailureWhateverHeloItShows() {
        // a comment the parser cannot read beside a registered HELO: the HELO is the sender's word only
        Mailhosts hosts = Mailhosts.parse(List.of("mx.member.example"));
        String received = "Received: from mx.member.example (x@[300.1.2.3]) by mx.member.example with SMTP;"
                + " Mon, 23 Nov 2026 09:59:00 +0100\r\n"
                + "Received: from spam.example (spam.example [8.8.8.8]) by mx.member.example (Postfix) with ESMTP id F;"
                + " Mon, 23 Nov 2026 09:59:00 +0100\r\n";
        Extraction x = extract(spam(received, "x", null, "x"), hosts);
        assertTrue(x.reports().isEmpty(), x.toString());
        assertTrue(x.errorSummary().contains("names no sender address"), x.errorSummary());
    }

    // ------------------------------------------------------------------ hostile input: never hang, never throw

    @Test
    void deeplyNestedMultipartIsRefusedNotOverflowed() {
        StringBuilder sb = new StringBuilder("From: a@b.example\r\nSubject: deep\r\n");
        int depth = 20_000;
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        sb.append("Content-Type: text/plain\r\n\r\nx\r\n");
        byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Extraction x = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> EXTRACTOR.extract(raw, MEMBER));
        assertTrue(x.reports().isEmpty());
        assertTrue(x.errorSummary().contains("too many nested MIME parts"), x.errorSummary());
    }

    @Test
    void tensOfThousandsOfEmptyPartsAreRefusedBeforeTheTreeIsBuilt() {
        // one boundary, 73,000 empty parts in 512 KB: the raw count sees one structure, mime4j built
        // every part (120 MB, 1.5 s per message)
        StringBuilder sb = new StringBuilder(postfix("45.134.26.17")
                + "From: a@b.example\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n");
        sb.append("--b\r\n\r\n".repeat(73_000)).append("--b--\r\n");
        byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
        assertTrue(raw.length <= 512 * 1024);
        EXTRACTOR.extract(raw, MEMBER); // warm up
        Extraction x = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> EXTRACTOR.extract(raw, MEMBER));
        assertTrue(x.reports().isEmpty(), x.toString());
        assertTrue(x.errorSummary().contains("too many MIME parts"), x.errorSummary());
    }

    @Test
    void nestingHiddenInABase64MessagePartIsRefusedToo() {
        // a message/rfc822 part in base64 hides its boundaries from the raw count; mime4j decodes and
        // parses it anyway (6,000 levels: 4.6 s, about 5,000 overflowed the stack)
        StringBuilder inner = new StringBuilder(postfix("45.134.26.17") + "From: a@b.example\r\nSubject: deep\r\n");
        for (int i = 0; i < 3_000; i++) {
            inner.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        inner.append("Content-Type: text/plain\r\n\r\nx\r\n");
        String hidden = "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(inner.toString().getBytes(StandardCharsets.US_ASCII));
        byte[] raw = forward(List.of(hidden)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(null, EvidenceExtractor.structureRefusal(raw), "the raw count cannot see it");
        Extraction x = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> EXTRACTOR.extract(raw, MEMBER));
        assertTrue(x.reports().isEmpty(), x.toString());
        assertTrue(x.errorSummary().contains("too many nested MIME parts"), x.errorSummary());
    }

    @Test
    void nestingWrittenTheWaysMime4jAlsoReadsIsRefusedToo() {
        // "boundary =", a folded "BOUNDARY\r\n =", "message (x) /rfc822": the plain-text count missed
        // these, and 5,000 levels overflowed mime4j's stack (caught, but a second of CPU each)
        String[] forms = {"boundary =\"b%d\"", "BOUNDARY\r\n =\"b%d\"", "boundary*0=\"b%d\""};
        for (String form : forms) {
            StringBuilder sb = new StringBuilder("From: a@b.example\r\nSubject: deep\r\n");
            for (int i = 0; i < 5_000; i++) {
                sb.append("Content-Type: multipart/mixed; ").append(String.format(form, i)).append("\r\n\r\n--b").append(i).append("\r\n");
            }
            sb.append("Content-Type: text/plain\r\n\r\nx\r\n");
            assertTrue(EvidenceExtractor.structureRefusal(sb.toString().getBytes(StandardCharsets.US_ASCII)) != null, form);
        }
        StringBuilder nested = new StringBuilder("From: a@b.example\r\n");
        for (int i = 0; i < 400; i++) {
            nested.append("Content-Type: message (x) /rfc822\r\n\r\n");
        }
        assertTrue(EvidenceExtractor.structureRefusal(nested.toString().getBytes(StandardCharsets.US_ASCII)) != null);
        // the word alone, in text, is no structure
        String prose = "message boundary ".repeat(1_000);
        assertEquals(null, EvidenceExtractor.structureRefusal(prose.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void nestingUpToTheDepthLimitStillParsesOneLevelMoreIsRefused() {
        // the message is one level, each multipart one more
        for (int levels : new int[] {MimeStructureGuard.MAX_DEPTH - 1, MimeStructureGuard.MAX_DEPTH}) {
            StringBuilder sb = new StringBuilder(postfix("45.134.26.17") + "From: a@b.example\r\nSubject: deep\r\n");
            for (int i = 0; i < levels; i++) {
                sb.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
            }
            sb.append("Content-Type: text/plain\r\n\r\nx\r\n");
            Extraction x = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> EXTRACTOR.extract(sb.toString().getBytes(StandardCharsets.US_ASCII), MEMBER));
            if (levels < MimeStructureGuard.MAX_DEPTH) {
                assertEquals(1, x.reports().size(), x.toString());
            } else {
                assertTrue(x.errorSummary().contains("too many nested MIME parts"), x.errorSummary());
            }
        }
    }

    @Test
    void randomBytesLongLinesAndHeaderFloodsEndInReasonsNotExceptions() {
        Random random = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[random.nextInt(4000)];
                random.nextBytes(junk);
                Extraction x = EXTRACTOR.extract(junk, MEMBER);
                assertFalse(x.reports().isEmpty() && x.errors().isEmpty());
            }
            String longLine = "x".repeat(300_000);
            Extraction x = extract(spam(postfix("45.134.26.17"), "long " + "y".repeat(50_000), null, longLine), MEMBER);
            assertEquals(1, x.reports().size(), x.errors().toString());
            assertTrue(x.reports().get(0).subject().length() <= HeaderText.MAX_VALUE_CHARS);

            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                flood.append("Received: from a (unknown [10.0.").append(i % 250).append(".1]) by b; Mon, 23 Nov 2026 10:00:00 +0000\r\n");
            }
            x = extract(spam(flood.toString(), "flood", null, "x"), MEMBER);
            assertTrue(x.reports().isEmpty());
            assertFalse(x.errors().isEmpty());

            StringBuilder manyHops = new StringBuilder();
            for (int i = 0; i < 150; i++) {
                manyHops.append("Received: from a (unknown [10.0.").append(i % 250).append(".1]) by b; Mon, 23 Nov 2026 10:00:00 +0000\r\n");
            }
            manyHops.append(postfix("45.134.26.17"));
            x = extract(spam(manyHops.toString(), "hops", null, "x"), MEMBER);
            assertTrue(x.reports().isEmpty(), "the walk stops after " + ReceivedWalker.MAX_HOPS + " hops");
            assertTrue(x.errorSummary().contains("private"), x.errorSummary());
        });
    }

    @Test
    void unclosedCommentsAndBracketsInReceivedDoNotBreakTheWalk() {
        String[] broken = {
            "Received: from x ((((((([45.134.26.17] by mx1.member-mail.net; Mon, 23 Nov 2026 10:00:02 +0100\r\n",
            "Received: from x (unknown [45.134.26.17 by mx1.member-mail.net\r\n",
            "Received: from\r\n",
            "Received: ;;;\r\n",
            "Received: from [IPv6:::::::] (x [::ffff:zz]) by y\r\n",
        };
        for (String b : broken) {
            Extraction x = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> extract(spam(b, "x", null, "x"), MEMBER));
            assertFalse(x.reports().isEmpty() && x.errors().isEmpty(), b);
            for (ExtractedReport r : x.reports()) {
                assertEquals("45.134.26.17", r.sourceIp(), b);
            }
        }
    }
}
