package net.trustbl.gateway.filter;

import net.trustbl.gateway.support.FilterFixture;
import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.transaction.MessageContent;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static net.trustbl.gateway.support.FilterCalls.client;
import static net.trustbl.gateway.support.FilterCalls.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's content rules at the end of data: where they look, what they do, which one decides. */
class ContentFilterTest {

    @RegisterExtension
    static final FilterFixture env = FilterFixture.vertxOnly();
    static ContentFilter filter;

    static final Verdict PHARMACY = Verdict.reject(550, "5.7.1", "Message looks like pharmacy spam");
    static final Verdict LOTTERY = Verdict.tempfail(451, "4.7.1", "Lottery mail waits");
    static final Verdict TAGGED = Verdict.tag("X-TrustBL-Content: rule 2 matched", null);

    @BeforeAll
    static void start() {
        filter = new ContentFilter(env.vertx(), TestConfigs.gateway(
                "gateway.content.rules[0].where", "body",
                "gateway.content.rules[0].pattern", "cheap\\s+pills",
                "gateway.content.rules[0].reason", "Message looks like pharmacy spam",
                "gateway.content.rules[1].where", "header",
                "gateway.content.rules[1].pattern", "^Subject:.*lottery",
                "gateway.content.rules[1].action", "defer",
                "gateway.content.rules[1].reason", "Lottery mail waits",
                "gateway.content.rules[2].pattern", "please-tag-me",
                "gateway.content.rules[2].action", "tag"));
    }

    static Transaction message(String text) {
        Transaction tx = client("192.0.2.1");
        tx.message = MessageContent.of(text.getBytes(StandardCharsets.ISO_8859_1));
        return tx;
    }

    static Verdict scan(String text) {
        return now(filter, Stage.END_OF_DATA, message(text));
    }

    @Test
    void mailNoRuleMatchesPasses() {
        assertEquals(Verdict.CONTINUE, scan("Subject: minutes\r\nFrom: a@example.org\r\n\r\nThe pills are in the cabinet.\r\n"));
    }

    @Test
    void aMatchingRuleRefusesOrDefersWithItsOwnReason() {
        assertEquals(PHARMACY, scan("Subject: offer\r\n\r\nBuy CHEAP\r\n   Pills now\r\n"), "case-insensitive, any white space");
        assertEquals(LOTTERY, scan("From: a@example.org\r\nSubject: You won the Lottery\r\n\r\nhello\r\n"));
        assertEquals(TAGGED, scan("Subject: x\r\n\r\nplease-tag-me\r\n"));
    }

    @Test
    void aRuleLooksOnlyWhereItIsToldTo() {
        assertEquals(Verdict.CONTINUE, scan("Subject: hello\r\n\r\nSubject: the lottery\r\n"), "a header rule does not read the body");
        assertEquals(Verdict.CONTINUE, scan("Subject: cheap pills\r\n\r\nhello\r\n"), "a body rule does not read the headers");
        assertEquals(TAGGED, scan("X-Campaign: please-tag-me\r\n\r\nhello\r\n"), "an 'any' rule reads both");
    }

    @Test
    void theFirstConfiguredRuleDecidesWhereverItsMatchIs() {
        assertEquals(PHARMACY, scan("Subject: lottery please-tag-me\r\n\r\nline one\r\ncheap pills at the end\r\n"));
    }

    @Test
    void encodingTheSpamDoesNotHideIt() {
        String body = Base64.getMimeEncoder().encodeToString("Buy cheap pills today".getBytes(StandardCharsets.UTF_8));
        assertEquals(PHARMACY, scan("Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + body + "\r\n"));
        assertEquals(PHARMACY, scan("Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\ncheap=20pi=\r\nlls\r\n"));
        String subject = Base64.getEncoder().encodeToString("Your lottery win".getBytes(StandardCharsets.UTF_8));
        assertEquals(LOTTERY, scan("Subject: =?UTF-8?B?" + subject + "?=\r\n\r\nhello\r\n"));
    }

    @Test
    void aBigMessageIsScannedOnAWorkerPastItsFirstWindow() throws Exception {
        StringBuilder text = new StringBuilder("Subject: report\r\n\r\n");
        while (text.length() < ContentFilter.WINDOW + 300_000) {
            text.append("nothing to see in this line of the report, just figures 0123456789\r\n");
        }
        Transaction clean = message(text.toString());
        assertEquals(Verdict.CONTINUE, env.run(filter, Stage.END_OF_DATA, clean));
        Transaction spam = message(text + "and cheap pills at the very end\r\n");
        assertEquals(PHARMACY, env.run(filter, Stage.END_OF_DATA, spam));
    }

    /** About 100 KB of folded header field: lines of 1,000 bytes, well within the MIME limits. */
    static String padField(int n) {
        StringBuilder field = new StringBuilder("X-Pad-" + n + ":");
        for (int line = 0; line < 100; line++) {
            field.append(' ').append("p".repeat(997)).append("\r\n");
        }
        return field.toString();
    }

    static String base64Text(String text) {
        return Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void paddingTheHeaderSectionPastTheWindowDoesNotHideASubject() throws Exception {
        StringBuilder headers = new StringBuilder("From: a@example.org\r\n");
        for (int n = 0; headers.length() < 1_100_000; n++) {
            headers.append(padField(n));
        }
        Transaction padded = message(headers + "Subject: You won the lottery\r\n\r\nhello\r\n");
        Verdict verdict = env.run(filter, Stage.END_OF_DATA, padded);
        assertEquals(Verdict.tempfail(451, "4.7.1", "Message header section is larger than 1 MiB and could not be inspected"),
                verdict, "uninspectable headers are deferred by default, never passed unchecked");
        ContentFilter rejecting = new ContentFilter(env.vertx(), TestConfigs.gateway(
                "gateway.content.rules[0].where", "header",
                "gateway.content.rules[0].pattern", "^Subject:.*lottery",
                "gateway.content.uninspectable-action", "reject"));
        assertEquals(550, env.run(rejecting, Stage.END_OF_DATA, padded).code());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ContentFilter(env.vertx(), TestConfigs.gateway(
                "gateway.content.rules[0].pattern", "x",
                "gateway.content.uninspectable-action", "drop")));
        assertTrue(e.getMessage().startsWith("gateway.content.uninspectable-action must be"), e.getMessage());
    }

    @Test
    void aBigEncodedFillerPartDoesNotHideTheEncodedSpamAfterIt() throws Exception {
        String line = "nothing to see in this line of the report, just figures 0123456789\r\n";
        String filler = line.repeat(2_200_000 / line.length() + 1); // decoded: over 2.1 MB
        String mail = "Subject: report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64Text(filler) + "\r\n"
                + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64Text("Buy cheap pills today") + "\r\n--b--\r\n";
        assertEquals(PHARMACY, env.run(filter, Stage.END_OF_DATA, message(mail)));
        String late = mail.replace(base64Text(filler), base64Text(filler + "and cheap pills at the very end\r\n"))
                .replace(base64Text("Buy cheap pills today"), base64Text("hello"));
        assertEquals(PHARMACY, env.run(filter, Stage.END_OF_DATA, message(late)), "the end of one big text part is read too");
    }

    @Test
    void aBigAttachmentThatIsNoTextStillPasses() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024];
        new java.util.Random(7).nextBytes(data);
        String mail = "Subject: photos\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64Text("The photos of the trip, as promised.") + "\r\n"
                + "--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=trip.jpg\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(data) + "\r\n--b--\r\n";
        assertEquals(Verdict.CONTINUE, env.run(filter, Stage.END_OF_DATA, message(mail)));
    }

    @Test
    void withoutRulesNothingIsReadAndABadRuleStopsStartUp() {
        ContentFilter none = new ContentFilter(env.vertx(), TestConfigs.gateway());
        Transaction noMessage = client("192.0.2.1");
        assertEquals(Verdict.CONTINUE, now(none, Stage.END_OF_DATA, noMessage), "no rules: the message is not even opened");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ContentFilter(env.vertx(), TestConfigs.gateway(
                "gateway.content.rules[0].where", "subject",
                "gateway.content.rules[0].pattern", "x")));
        assertTrue(e.getMessage().startsWith("gateway.content.rules[0]: where must be header|body|any"), e.getMessage());
    }
}
