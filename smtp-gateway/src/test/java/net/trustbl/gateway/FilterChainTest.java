package net.trustbl.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.gateway.filter.DnsblFilter;
import net.trustbl.gateway.greylist.GreylistStore;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.FakeDownstream;
import net.trustbl.gateway.support.FakeTrustService;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.SmtpTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filters of the chain, each against the real SMTP dialogue. */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class FilterChainTest {

    @Inject
    SmtpServer server;

    @Inject
    DnsblFilter dnsbl;

    @BeforeEach
    void clear() {
        GatewayTestResource.downstream.clear();
    }

    private SmtpTestClient from(String ip) throws Exception {
        return new SmtpTestClient(server.port(), ip);
    }

    @Test
    void rfc5782ProbeFindsTheDeadList() throws Exception {
        long until = System.currentTimeMillis() + 10_000;
        while (!dnsbl.siteStatus().get("dead.test").startsWith("dead") && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
        assertTrue(dnsbl.siteStatus().get("dead.test").contains("127.0.0.1 is listed"), dnsbl.siteStatus().toString());
        assertEquals("ok", dnsbl.siteStatus().get("bl.test"));
    }

    @Test
    void listedClientIsRefusedAtConnectWithTheListsExplanation() throws Exception {
        rfc5782ProbeFindsTheDeadList();
        try (SmtpTestClient c = from("127.0.0.5")) {
            SmtpTestClient.Reply r = c.read();
            assertEquals(554, r.code(), r.toString());
            assertTrue(r.text().contains("5.7.1") && r.text().contains("bl.test")
                    && r.text().contains("https://trustbl.test/ip/127.0.0.5"), r.toString());
            assertEquals(-1, c.read().code(), "connection closed");
        }
    }

    @Test
    void scoreIsJudgedPerRecipientPolicyAndTagged() throws Exception {
        rfc5782ProbeFindsTheDeadList();
        // 127.0.0.6 scores 1: under the strict policy (threshold 1) refused with the TXT, default (2) tagged
        try (SmtpTestClient c = from("127.0.0.6")) {
            SmtpTestClient.Reply r = c.envelope("a@example.net", "x@strict.test");
            assertEquals(550, r.code(), r.toString());
            assertTrue(r.text().contains("https://soft.test/127.0.0.6"), r.toString());
            assertEquals(250, c.command("RCPT TO:<b@example.net>").code());
            assertEquals(250, c.data("Subject: hello\r\n\r\nbody\r\n").code());
        }
        FakeDownstream.Received m = GatewayTestResource.downstream.messages.get(0);
        assertTrue(m.wireLines().stream().anyMatch(l -> l.startsWith("X-TrustBL-DNSBL: score=1")), m.wireLines().toString());
        assertTrue(m.wireLines().contains("Subject: [SPAM] hello"), m.wireLines().toString());
    }

    @Test
    void negativeWeightsAllowListAndErrorCodesAreNoListing() throws Exception {
        rfc5782ProbeFindsTheDeadList();
        try (SmtpTestClient c = from("127.0.0.7")) { // bl.test +2, wl.test -2
            assertEquals(250, c.envelope("a@example.net", "x@strict.test").code());
        }
        try (SmtpTestClient c = from("127.0.0.9")) { // 127.255.255.255 = over quota: a failed lookup
            SmtpTestClient.Reply r = c.envelope("a@example.net", "b@example.net");
            assertEquals(451, r.code(), r.toString());
        }
    }

    @Test
    void failedLookupIsATemporaryFailure() throws Exception {
        rfc5782ProbeFindsTheDeadList();
        try (SmtpTestClient c = from("127.0.0.8")) {
            SmtpTestClient.Reply r = c.envelope("a@example.net", "b@example.net");
            assertEquals(451, r.code(), r.toString());
            assertTrue(r.text().startsWith("4.4.3"), r.toString());
        }
    }

    @Test
    void mixedPolicyRecipientsAreSplitIntoTransactions() throws Exception {
        try (SmtpTestClient c = from("127.0.0.1")) {
            assertEquals(250, c.envelope("a@example.net", "b@example.net").code());
            SmtpTestClient.Reply r = c.command("RCPT TO:<x@strict.test>");
            assertEquals(452, r.code());
            assertTrue(r.text().startsWith("4.5.3"));
            assertEquals(250, c.command("RCPT TO:<c@example.net>").code());
        }
    }

    @Test
    void tooManyRecipientsAndTarpit() throws Exception {
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.envelope("a@example.net");
            long[] took = new long[8];
            int[] codes = new int[8];
            for (int i = 0; i < 8; i++) {
                long t0 = System.nanoTime();
                codes[i] = c.command("RCPT TO:<r" + i + "@example.net>").code();
                took[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            assertEquals(List.of(250, 250, 250, 250, 250, 250, 452, 452), java.util.Arrays.stream(codes).boxed().toList());
            assertTrue(took[1] < 250, "no delay before the tarpit starts: " + took[1]);
            assertTrue(took[3] >= 280, "4th recipient delayed 300 ms: " + took[3]);
            assertTrue(took[4] >= 580, "5th recipient delayed 600 ms: " + took[4]);
        }
    }

    @Test
    void senderDomainNeedsMxOrAButDnsFailurePasses() throws Exception {
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.read();
            c.command("EHLO client.example.net");
            SmtpTestClient.Reply r = c.command("MAIL FROM:<a@nomx.test>");
            assertEquals(550, r.code());
            assertEquals(250, c.command("MAIL FROM:<a@dnsfail.test>").code());
        }
    }

    @Test
    void spamTrapIsRefusedAndReportedWithRetry() throws Exception {
        FakeTrustService trust = GatewayTestResource.trust;
        int before = trust.requests("/api/v1/trap-hits").size();
        trust.trapStatuses.add(503); // first attempt fails: the hit must stay queued and be retried
        try (SmtpTestClient c = from("127.0.0.1")) {
            SmtpTestClient.Reply r = c.envelope("a@example.net", "anything@traps.test");
            assertEquals(550, r.code());
        }
        long until = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < until && trust.requests("/api/v1/trap-hits").size() < before + 2) {
            Thread.sleep(100);
        }
        List<FakeTrustService.Request> hits = trust.requests("/api/v1/trap-hits");
        assertTrue(hits.size() >= before + 2, "retried after the 503: " + hits.size());
        FakeTrustService.Request last = hits.get(hits.size() - 1);
        assertEquals("Bearer " + FakeTrustService.KEY, last.authorization());
        assertTrue(last.body().contains("\"ip\":\"127.0.0.1\"") && last.body().contains("\"trapAddress\":\"anything@traps.test\"")
                && last.body().contains("\"at\":\""), last.body());
    }

    @Test
    void blockedAttachmentsAreRefusedNamingTheFileAlsoInsideZip() throws Exception {
        String exe = mime("invoice.exe", "application/octet-stream", "MZ fake".getBytes());
        String zip = mime("docs.zip", "application/zip", zipWith("readme.txt", "run.js"));
        String pdf = mime("report.pdf", "application/pdf", "%PDF-1.4".getBytes());
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.envelope("a@example.net", "b@example.net");
            SmtpTestClient.Reply r = c.data(exe);
            assertEquals(550, r.code());
            assertTrue(r.text().contains("invoice.exe"), r.toString());
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            r = c.data(zip);
            assertEquals(550, r.code());
            assertTrue(r.text().contains("run.js"), r.toString());
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            assertEquals(250, c.data(pdf).code());
        }
        assertEquals(1, GatewayTestResource.downstream.messages.size(), "the refused ones never reached the downstream");
    }

    @Test
    void contentRulesRejectDeferAndTag() throws Exception {
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.envelope("a@example.net", "b@example.net");
            assertEquals(550, c.data("Subject: hi\r\n\r\nbuy CHEAP   pills now\r\n").code());
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            assertEquals(451, c.data("Subject: you won the LOTTERY\r\n\r\nbody\r\n").code());
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            assertEquals(250, c.data("Subject: x\r\n\r\nPlease-Tag-Me\r\n").code());
        }
        FakeDownstream.Received m = GatewayTestResource.downstream.messages.get(0);
        assertTrue(m.wireLines().stream().anyMatch(l -> l.startsWith("X-TrustBL-Content: rule 2")));
    }

    @Test
    void externalCheckerExitCodesDecide() throws Exception {
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.envelope("a@example.net", "b@example.net");
            assertEquals(550, c.data("Subject: x\r\n\r\nEXTERNAL-REJECT\r\n").code());
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            assertEquals(451, c.data("Subject: x\r\n\r\nEXTERNAL-DEFER\r\n").code());
        }
        assertEquals(0, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void greylistingDefersANewTripletThenLetsTheRetryThrough() throws Exception {
        String rcpt = "user" + System.nanoTime() + "@grey.test";
        try (SmtpTestClient c = from("127.0.0.1")) {
            SmtpTestClient.Reply r = c.envelope("a@example.net", rcpt);
            assertEquals(451, r.code(), r.toString());
            assertTrue(r.text().startsWith("4.7.1") && r.text().contains("Greylisted"));
            assertEquals(451, c.command("RCPT TO:<" + rcpt + ">").code(), "too early");
            Thread.sleep(2_200);
            assertEquals(250, c.command("RCPT TO:<" + rcpt + ">").code(), "retry after the delay passes");
            assertEquals(250, c.command("RCPT TO:<" + rcpt + ">").code(), "and keeps passing");
        }
    }

    @Inject
    GreylistStore greylist;

    @Test
    void greylistAutoAllowsAClientAfterFivePasses() throws Exception {
        String net = "198.51." + (System.nanoTime() % 200) + ".0/24";
        for (int i = 0; i < 5; i++) {
            assertEquals(GreylistStore.Outcome.NEW, greylist.check(net, "s@example.net", "r" + i + "@grey.test").outcome());
        }
        assertEquals(GreylistStore.Outcome.NEW, greylist.check(net, "s@example.net", "late@grey.test").outcome());
        Thread.sleep(2_200);
        for (int i = 0; i < 5; i++) {
            assertEquals(GreylistStore.Outcome.PASS, greylist.check(net, "s@example.net", "r" + i + "@grey.test").outcome());
        }
        assertEquals(GreylistStore.Outcome.PASS, greylist.check(net, "other@example.net", "new@grey.test").outcome(),
                "five passes: the client network is allowed without delay");
        assertEquals("203.0.113.0/24", GreylistStore.clientNet(java.net.InetAddress.getByName("203.0.113.77")));
        assertEquals("2001:db8:1:2::/64", GreylistStore.clientNet(java.net.InetAddress.getByName("2001:db8:1:2:3::1")));
    }

    @Test
    void consoleMetricsAndHealth() {
        given().get("/console").then().statusCode(200).body(containsString("TrustBL SMTP gateway"))
                .body(containsString("<canvas"));
        given().get("/console/stats").then().statusCode(200).body(containsString("\"sessions\""));
        given().get("/q/metrics").then().statusCode(200).body(containsString("gateway_verdicts_total"));
        given().get("/q/health/ready").then().statusCode(200).body(containsString("smtp-gateway"));
    }

    private static String mime(String filename, String type, byte[] content) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes()).encodeToString(content);
        return "From: a@example.net\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"BOUND\"\r\n\r\n"
                + "--BOUND\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--BOUND\r\nContent-Type: " + type + "; name=\"" + filename + "\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + filename + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--BOUND--\r\n";
    }

    private static byte[] zipWith(String... names) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (String n : names) {
                z.putNextEntry(new ZipEntry("dir/" + n));
                z.write("content".getBytes());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }


}
