package net.trustbl.ui;

import net.trustbl.member.AccountService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Form fields are as big as real input: a raw spam message pasted into the web form, a long IP
 * list. Quarkus' default max-form-attribute-size (2048 bytes) refused both with a bare 413.
 */
@QuarkusTest
class WebPagesFormLimitsTest {

    @Inject
    AccountService accounts;

    WebClient loggedIn(Api.Member m) {
        return WebClient.loggedIn(accounts, m);
    }

    /** A spam mail as a member's mail client shows its source: several hops, DKIM, a big HTML part. */
    static String realisticSpam(String ip) {
        StringBuilder b = new StringBuilder();
        b.append("Return-Path: <bounce-4711-bob=member-mail.net@mailer.bulk-offers.example>\n");
        b.append("Delivered-To: bob@member-mail.net\n");
        b.append("Received: from mx1.member-mail.net (localhost [127.0.0.1])\n\tby mail.member-mail.net (Postfix) with ESMTP id 3A1B2C\n"
                + "\tfor <bob@member-mail.net>; Mon, 23 Nov 2026 10:00:03 +0100 (CET)\n");
        b.append("Received: from mailer.bulk-offers.example (unknown [").append(ip).append("])\n"
                + "\tby mx1.member-mail.net (Postfix) with ESMTPS id 4Yk3Qv6Jt2z9sVn\n"
                + "\tfor <bob@member-mail.net>; Mon, 23 Nov 2026 10:00:02 +0100 (CET)\n");
        b.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=bulk-offers.example; s=s1;\n"
                + "\th=from:to:subject:date:message-id; bh=").append("A".repeat(44)).append(";\n\tb=");
        for (int i = 0; i < 6; i++) {
            b.append("Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXhmb29iYXJiYXpxdXhxdXV4ZmI=\n\t ");
        }
        b.append("\nFrom: \"Best Deals\" <deals@bulk-offers.example>\nTo: bob@member-mail.net\n");
        b.append("Subject: =?UTF-8?B?R3JlYXQgb2ZmZXIgZm9yIHlvdSDwn5Kw?=\n");
        b.append("Date: Mon, 23 Nov 2026 10:00:01 +0100\n");
        b.append("Message-ID: <").append(System.nanoTime()).append(".offer@bulk-offers.example>\n");
        b.append("List-Unsubscribe: <https://bulk-offers.example/u/").append("x".repeat(60)).append(">\n");
        b.append("MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b1\"\n\n--b1\n");
        b.append("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n");
        for (int i = 0; i < 60; i++) {
            b.append("Dear customer, today only: 90% off on everything =E2=80=93 click the link below! ").append(i).append("\n");
        }
        b.append("\n--b1\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n");
        while (b.length() < 20_000) {
            b.append("<tr><td style=3D\"padding:8px;font-family:Arial\"><a href=3D\"https://bulk-offers.example/c?id=3D")
                    .append(b.length()).append("&amp;u=3Dbob\">Special offer &amp; free shipping</a></td></tr>\n");
        }
        b.append("\n--b1--\n");
        return b.toString();
    }

    @Test
    void aRealisticRawSpamPasteIsTracedThroughTheWebForm() {
        WebClient c = loggedIn(Api.newMember());
        String ip = Api.freshIp();
        String message = realisticSpam(ip);
        assertTrue(message.length() >= 20_000);
        Response r = c.submit("/reports", "/reports/raw", Map.of("message", message));
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.asString().contains(">" + ip + "<"), r.asString());
    }

    @Test
    void aThousandLineIpListIsFiledLineByLine() {
        WebClient c = loggedIn(Api.newMember());
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ips.add(Api.freshIp());
        }
        Response r = c.submit("/reports", "/reports", Map.of("ips", String.join("\n", ips), "verdict", "spam"));
        assertEquals(200, r.statusCode(), r.asString().length() > 2000 ? r.asString().substring(0, 2000) : r.asString());
        Matcher m = Pattern.compile("filed as report #").matcher(r.asString());
        int filed = 0;
        while (m.find()) {
            filed++;
        }
        assertEquals(1000, filed);
    }

    @Test
    void theFormRefusesAVerdictTheApiRefusesAndFilesNothing() {
        Api.Member m = Api.newMember();
        WebClient c = loggedIn(m);
        String ip = Api.freshIp();
        Response r = c.submit("/reports", "/reports", Map.of("ips", ip, "verdict", "ham"));
        assertEquals(422, r.statusCode());
        assertTrue(r.asString().contains("verdict must be"), r.asString());
        Api.report(m.key(), ip, "ham").then().statusCode(422);
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + m.key()).get("/api/v1/reports")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void anOverLimitPasteGetsAPageThatSaysWhy() {
        WebClient c = loggedIn(Api.newMember());
        // above the evidence cap (512 KB) but within the form limit: the report page says so
        Response big = c.submit("/reports", "/reports/raw", Map.of("message", "Subject: x\n\n" + "a".repeat(600 * 1024)));
        assertEquals(413, big.statusCode());
        assertTrue(big.asString().contains("messages up to 524288 bytes are accepted"), big.asString());
        assertTrue(big.asString().contains("<html"), "a page, not a bare status");
        // above the form field limit itself: Quarkus refuses before the page method, still a page
        Response huge = c.submit("/reports", "/reports/raw", Map.of("message", "a".repeat(1700 * 1024)));
        assertEquals(413, huge.statusCode());
        String html = huge.asString();
        assertTrue(html.contains("<html"), "a page, not a bare 413: " + html);
        assertTrue(html.contains("up to 512 KB"), html);
        assertFalse(html.contains("<script"));
    }
}
