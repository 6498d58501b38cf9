package net.trustbl.gateway;

import net.trustbl.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.gateway.filter.DnsblFilter;
import net.trustbl.gateway.greylist.GreylistStore;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.support.FakeDownstream;
import net.trustbl.gateway.support.FakeTrustService;
import net.trustbl.gateway.support.GatewayTestResource;
import net.trustbl.gateway.support.LogCapture;
import net.trustbl.gateway.support.SmtpTestClient;
import net.trustbl.gateway.traps.TrapHitQueue;
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
        waitFor(() -> dnsbl.siteStatus().get("dead.test").startsWith("dead"), 10_000);
        assertTrue(dnsbl.siteStatus().get("dead.test").contains("127.0.0.1 is listed"), dnsbl.siteStatus().toString());
        assertEquals("ok", dnsbl.siteStatus().get("bl.test"));
    }

    @Test
    void listedClientIsGreetedThenRefusedAtEveryRcptWithTheListsExplanation() throws Exception {
        rfc5782ProbeFindsTheDeadList();
        try (SmtpTestClient c = from("127.0.0.5")) {
            // a 5xx greeting makes Postfix clients try the next MX and defer: the sender would never
            // read the explanation; at RCPT it lands in the bounce (postscreen, rblsmtpd)
            assertEquals(220, c.read().code(), "greeted by default");
            assertEquals(250, c.command("EHLO client.example.net").code());
            assertEquals(250, c.command("MAIL FROM:<a@example.net>").code());
            for (String rcpt : List.of("b@example.net", "c@example.net")) {
                SmtpTestClient.Reply r = c.command("RCPT TO:<" + rcpt + ">");
                assertEquals(550, r.code(), "a listing is a hard 550 5.7.1 at every RCPT: " + r);
                assertTrue(r.text().startsWith("5.7.1") && r.text().contains("bl.test")
                        && r.text().contains("https://trustbl.test/ip/127.0.0.5"), r.toString());
            }
            assertEquals(554, c.command("DATA").code(), "no recipient was accepted");
        }
        assertEquals(0, GatewayTestResource.downstream.messages.size());
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
    void aZoneThatFailsDoesNotHideAListingInAnother() throws Exception {
        rfc5782ProbeFindsTheDeadList();
        try (SmtpTestClient c = from("127.0.0.10")) { // bl.test lists it (score 2), soft.test times out
            SmtpTestClient.Reply r = c.envelope("a@example.net", "b@example.net");
            assertEquals(550, r.code(), r.toString());
            assertTrue(r.text().startsWith("5.7.1") && r.text().contains("https://trustbl.test/ip/127.0.0.10"), r.toString());
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
    void recipientsBeyondTheLimitGet452AndValidOnesAreNeverDelayed() throws Exception {
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
            for (long t : took) {
                assertTrue(t < 250, "valid recipients and the 452 beyond them are never tarpitted: " + java.util.Arrays.toString(took));
            }
        }
    }

    @Test
    void unknownRecipientsSlowTheSessionFromTheSoftErrorLimitOn() throws Exception {
        // test profile: soft-error-limit 3, error-sleep-time 300 ms, multiplier 2, max-delay 1 s
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.envelope("a@example.net");
            long[] took = new long[4];
            for (int i = 0; i < 4; i++) {
                long t0 = System.nanoTime();
                assertEquals(550, c.command("RCPT TO:<unknown@r" + i + ".example.net>").code());
                took[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            String all = java.util.Arrays.toString(took);
            // "nothing" is a round trip: under 250 ms on a quiet machine; on a shared box a round trip
            // waits for a core, so that bound scales with the load per core (the delays below only add)
            double loadPerCore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                    / Runtime.getRuntime().availableProcessors();
            long roundTrip = (long) (250 * Math.max(1.0, loadPerCore));
            assertTrue(took[0] < roundTrip && took[1] < roundTrip, "two errors cost nothing: " + all + ", bound " + roundTrip);
            assertTrue(took[2] >= 280, "the 3rd error reaches the soft limit: 300 ms " + all);
            assertTrue(took[3] >= 580, "then 600 ms: " + all);
            long t0 = System.nanoTime();
            assertEquals(250, c.command("RCPT TO:<valid@example.net>").code());
            assertTrue((System.nanoTime() - t0) / 1_000_000 >= 580, "past the soft limit every reply waits, a valid one too");
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
    void spamTrapFailsTheWholeTransactionBlocksTheClientAndIsReportedWithRetry() throws Exception {
        FakeTrustService trust = GatewayTestResource.trust;
        int before = trust.requests("/api/v1/trap-hits").size();
        trust.trapStatuses.add(503); // first attempt fails: the hit must stay queued and be retried
        try (SmtpTestClient c = from("127.0.0.40")) {
            assertEquals(250, c.envelope("a@example.net", "b@example.net").code());
            assertEquals(250, c.command("RCPT TO:<anything@traps.test>").code(), "the trap takes the recipient");
            assertEquals(250, c.command("RCPT TO:<c@example.net>").code());
            SmtpTestClient.Reply r = c.data("Subject: offer\r\n\r\nbuy now\r\n");
            assertEquals(550, r.code(), "the whole transaction fails at the end of data: " + r);
            assertTrue(r.text().startsWith("5.7.1") && r.text().contains("spam trap"), r.toString());
        }
        assertEquals(0, GatewayTestResource.downstream.messages.size(), "no recipient of that message gets it");
        assertTrue(GatewayTestResource.downstream.commands.stream().noneMatch(l -> l.contains("traps.test")),
                "the trap address is never passed on");
        try (SmtpTestClient c = from("127.0.0.40")) {
            SmtpTestClient.Reply r = c.envelope("a@example.net", "b@example.net");
            assertEquals(451, r.code(), "the client is refused here for a while: " + r);
            assertTrue(r.text().startsWith("4.7.1") && r.text().contains("spam trap"), r.toString());
        }
        try (SmtpTestClient c = from("127.0.0.41")) {
            assertEquals(250, c.envelope("a@example.net", "b@example.net").code(), "other clients are not affected");
        }
        waitFor(() -> trust.requests("/api/v1/trap-hits").size() >= before + 2, 15_000);
        List<FakeTrustService.Request> hits = trust.requests("/api/v1/trap-hits");
        assertTrue(hits.size() >= before + 2, "retried after the 503: " + hits.size());
        FakeTrustService.Request last = hits.get(hits.size() - 1);
        assertEquals("Bearer " + FakeTrustService.KEY, last.authorization());
        assertTrue(last.body().contains("\"ip\":\"127.0.0.40\"") && last.body().contains("\"trapAddress\":\"anything@traps.test\"")
                && last.body().contains("\"at\":\""), last.body());
    }

    @Test
    void calloutsAndBouncesToATrapFromInnocentServersAreNeitherReportedNorBlocked() throws Exception {
        FakeTrustService trust = GatewayTestResource.trust;
        // sender verification: an MTA that got mail with a forged trap sender calls back our MX
        try (SmtpTestClient c = from("127.0.0.42")) {
            assertEquals(250, c.envelope("", "anything@traps.test").code());
            assertEquals(221, c.command("QUIT").code());
        }
        // a bounce to the trap (null sender) with a message: refused, but the bouncing server is not the spammer
        try (SmtpTestClient c = from("127.0.0.43")) {
            assertEquals(250, c.envelope("", "trap@example.net").code());
            SmtpTestClient.Reply r = c.data("Subject: Undelivered Mail Returned to Sender\r\n\r\nbounce\r\n");
            assertEquals(550, r.code(), "the message is still refused: " + r);
        }
        assertEquals(0, queued("127.0.0.42") + queued("127.0.0.43"));
        for (String ip : List.of("127.0.0.42", "127.0.0.43")) {
            try (SmtpTestClient c = from(ip)) {
                assertEquals(250, c.envelope("a@example.net", "b@example.net").code(), ip + " is not blocked");
            }
        }
        // a real message to the trap is reported: by then the two above would have been sent too
        try (SmtpTestClient c = from("127.0.0.44")) {
            assertEquals(250, c.envelope("a@example.net", "anything@traps.test").code());
            assertEquals(550, c.data("Subject: offer\r\n\r\nbuy now\r\n").code());
        }
        assertTrue(waitFor(() -> trust.requests("/api/v1/trap-hits").stream().anyMatch(r -> r.body().contains("\"127.0.0.44\"")),
                15_000), "the message to the trap is reported");
        assertTrue(trust.requests("/api/v1/trap-hits").stream()
                .noneMatch(r -> r.body().contains("\"127.0.0.42\"") || r.body().contains("\"127.0.0.43\"")),
                "neither the callout nor the bounce is reported");
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
    void encodedFileNamesAndNestedZipsAreSeen() throws Exception {
        String[] refused = {
            // RFC 2047 encoded word: invoice.exe
            mimeWith("attachment; filename=\"=?utf-8?B?aW52b2ljZS5leGU=?=\"", "application/octet-stream", "MZ".getBytes()),
            // RFC 2231 extended parameter
            mimeWith("attachment; filename*=utf-8''%72un.exe", "application/octet-stream", "MZ".getBytes()),
            // RFC 2231 continuations
            mimeWith("attachment; filename*0=\"pay\"; filename*1=\"ment.scr\"", "application/octet-stream", "MZ".getBytes()),
            mimeWith("attachment; filename*0*=utf-8''setup; filename*1*=%2Ebat", "application/octet-stream", "MZ".getBytes()),
            // a zip inside a zip
            mimeWith("attachment; filename=\"outer.zip\"", "application/zip", zipWithEntry("inner.zip", zipWith("evil.js"))),
        };
        String[] names = {"invoice.exe", "run.exe", "payment.scr", "setup.bat", "evil.js"};
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.read();
            c.command("EHLO client.example.net");
            for (int i = 0; i < refused.length; i++) {
                c.command("MAIL FROM:<a@example.net>");
                c.command("RCPT TO:<b@example.net>");
                SmtpTestClient.Reply r = c.data(refused[i]);
                assertEquals(550, r.code(), names[i] + ": " + r);
                assertTrue(r.text().contains(names[i]), r.toString());
            }
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            assertEquals(250, c.data(mimeWith("attachment; filename*=utf-8''report%2Epdf", "application/pdf",
                    zipWith("readme.txt"))).code());
        }
        assertEquals(1, GatewayTestResource.downstream.messages.size());
    }

    @Test
    void contentRulesSeeDecodedTextParts() throws Exception {
        String b64 = Base64.getMimeEncoder().encodeToString("Buy cheap pills today".getBytes());
        String qp = "Subject: =?utf-8?B?" + Base64.getEncoder().encodeToString("you won the lottery".getBytes()) + "?=\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nhello=\r\n";
        try (SmtpTestClient c = from("127.0.0.1")) {
            c.envelope("a@example.net", "b@example.net");
            SmtpTestClient.Reply r = c.data("Subject: hi\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n");
            assertEquals(550, r.code(), "the body rule sees the base64-decoded text: " + r);
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            r = c.data(qp);
            assertEquals(451, r.code(), "the header rule sees the decoded encoded-word subject: " + r);
            c.command("MAIL FROM:<a@example.net>");
            c.command("RCPT TO:<b@example.net>");
            String qpBody = "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\n\r\ncheap=20=\r\npills\r\n";
            assertEquals(550, c.data(qpBody).code(), "soft line breaks of quoted-printable are undone");
        }
        assertEquals(0, GatewayTestResource.downstream.messages.size());
    }

    @Inject
    TrapHitQueue trapQueue;

    @Inject
    javax.sql.DataSource dataSource;

    private void queueHits(String interval, String... ips) throws Exception {
        StringBuilder sql = new StringBuilder("INSERT INTO trap_hit_queue (ip, trap_address, hit_at, next_attempt) VALUES ");
        for (int i = 0; i < ips.length; i++) {
            sql.append(i == 0 ? "" : ",").append("('").append(ips[i]).append("', 'trap@example.net', now() - interval '")
                    .append(interval).append("', now())");
        }
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            st.executeUpdate(sql.toString()); // one statement: the hits go out in one batch
        }
        trapQueue.flushSoon();
    }

    private int queued(String ip) throws Exception {
        try (var c = dataSource.getConnection();
             var ps = c.prepareStatement("SELECT count(*) FROM trap_hit_queue WHERE ip = ?")) {
            ps.setString(1, ip);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static boolean waitFor(java.util.concurrent.Callable<Boolean> condition, long millis) throws Exception {
        return Eventually.within(java.time.Duration.ofMillis(millis), condition);
    }

    @Test
    void oneBadTrapHitIsDroppedAloneTheGoodOnesAreSent() throws Exception {
        FakeTrustService trust = GatewayTestResource.trust;
        trust.rejectTrapIp = "192.0.2.66";
        try {
            queueHits("1 minute", "192.0.2.65", "192.0.2.66", "192.0.2.67");
            assertTrue(waitFor(() -> queued("192.0.2.65") + queued("192.0.2.66") + queued("192.0.2.67") == 0, 15_000),
                    "the batch is settled");
        } finally {
            trust.rejectTrapIp = null;
        }
        String accepted = String.join("\n", trust.acceptedTrapBodies);
        assertTrue(accepted.contains("\"192.0.2.65\"") && accepted.contains("\"192.0.2.67\""), "good hits delivered: " + accepted);
        assertTrue(!accepted.contains("\"192.0.2.66\""), accepted);
        assertTrue(trust.requests("/api/v1/trap-hits").stream().anyMatch(r -> r.body().contains("\"192.0.2.66\"")),
                "the bad one was offered once");
    }

    @Test
    void trapHitsRefusedForTheKeyAreKeptAndRetriedButNotForever() throws Exception {
        FakeTrustService trust = GatewayTestResource.trust;
        trust.forbidTraps = true;
        try {
            queueHits("1 minute", "192.0.2.70");
            assertTrue(waitFor(() -> trust.requests("/api/v1/trap-hits").stream()
                    .anyMatch(r -> r.body().contains("\"192.0.2.70\"")), 10_000));
            assertTrue(Eventually.holdsFor(java.time.Duration.ofMillis(1_500), () -> queued("192.0.2.70") == 1),
                    "a 403 (the gateway's key lacks trust) must not lose the hit");
        } finally {
            trust.forbidTraps = false;
        }
        assertTrue(waitFor(() -> queued("192.0.2.70") == 0, 15_000), "retried once the key works");
        assertTrue(trust.acceptedTrapBodies.stream().anyMatch(b -> b.contains("\"192.0.2.70\"")));
        // bounded retention: a hit older than max-age (7 days) is dropped, not sent
        queueHits("8 days", "192.0.2.71");
        assertTrue(waitFor(() -> queued("192.0.2.71") == 0, 15_000));
        assertTrue(trust.requests("/api/v1/trap-hits").stream().noneMatch(r -> r.body().contains("\"192.0.2.71\"")));
    }

    @Test
    void aHitTooOldToSendIsNotSentEvenWhenQueuedDuringARunningFlush() throws Exception {
        FakeTrustService trust = GatewayTestResource.trust;
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        trust.holdTraps = release;
        try {
            queueHits("1 minute", "192.0.2.72");
            assertTrue(waitFor(() -> trust.requests("/api/v1/trap-hits").stream()
                    .anyMatch(r -> r.body().contains("\"192.0.2.72\"")), 10_000), "a flush is under way");
            queueHits("8 days", "192.0.2.73"); // the running flush has already dropped what was expired
        } finally {
            trust.holdTraps = null;
            release.countDown();
        }
        assertTrue(waitFor(() -> queued("192.0.2.72") + queued("192.0.2.73") == 0, 15_000), "both settled");
        assertTrue(trust.requests("/api/v1/trap-hits").stream().noneMatch(r -> r.body().contains("\"192.0.2.73\"")),
                "a hit older than max-age is dropped, never sent");
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
            awaitGreylistDelay("127.0.0.0/24");
            assertEquals(250, c.command("RCPT TO:<" + rcpt + ">").code(), "retry after the delay passes");
            assertEquals(250, c.command("RCPT TO:<" + rcpt + ">").code(), "and keeps passing");
        }
    }

    @Inject
    GreylistStore greylist;

    @Inject
    net.trustbl.gateway.config.GatewayConfig gatewayConfig;

    private void forgetGreylistNet(String net) throws Exception {
        try (var c = dataSource.getConnection();
             var triplets = c.prepareStatement("DELETE FROM greylist_triplet WHERE client_net = ?");
             var clients = c.prepareStatement("DELETE FROM greylist_client WHERE client_net = ?")) {
            triplets.setString(1, net);
            triplets.executeUpdate();
            clients.setString(1, net);
            clients.executeUpdate();
        }
    }

    /** Waits, on the database's clock that the greylist reads, until no triplet of {@code net} is younger than the delay. */
    private void awaitGreylistDelay(String net) throws Exception {
        long delay = gatewayConfig.greylist().delay().toSeconds();
        Eventually.await("the greylist delay to pass for " + net, java.time.Duration.ofSeconds(delay + 10), () -> {
            try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                    "SELECT count(*) FROM greylist_triplet WHERE client_net = ? AND first_seen > now() - make_interval(secs => ?)")) {
                ps.setString(1, net);
                ps.setLong(2, delay);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 0;
                }
            }
        });
    }

    @Test
    void greylistAutoAllowsAClientAfterFivePasses() throws Exception {
        // a network no other test uses, and nothing left of it from an earlier run on the same
        // data folder (target/test-data): its first triplets must be new
        String net = "198.51.7.0/24";
        forgetGreylistNet(net);
        for (int i = 0; i < 5; i++) {
            assertEquals(GreylistStore.Outcome.NEW, greylist.check(net, "s@example.net", "r" + i + "@grey.test").outcome());
        }
        assertEquals(GreylistStore.Outcome.NEW, greylist.check(net, "s@example.net", "late@grey.test").outcome());
        awaitGreylistDelay(net);
        for (int i = 0; i < 5; i++) {
            assertEquals(GreylistStore.Outcome.PASS, greylist.check(net, "s@example.net", "r" + i + "@grey.test").outcome());
        }
        assertEquals(GreylistStore.Outcome.PASS, greylist.check(net, "other@example.net", "new@grey.test").outcome(),
                "five passes: the client network is allowed without delay");
        assertEquals("203.0.113.0/24", GreylistStore.clientNet(java.net.InetAddress.getByName("203.0.113.77")));
        assertEquals("2001:db8:1:2::/64", GreylistStore.clientNet(java.net.InetAddress.getByName("2001:db8:1:2:3::1")));
    }

    @Test
    void everyDeliveryIsLoggedAndDnsListHitsAreCountedOnTheConsole() throws Exception {
        rfc5782ProbeFindsTheDeadList();
        try (LogCapture log = new LogCapture("net.trustbl.gateway.delivery", java.util.logging.Level.INFO)) {
            try (SmtpTestClient c = from("127.0.0.6")) { // soft.test lists it (score 1, below the default threshold)
                assertEquals(250, c.envelope("a@example.net", "b@example.net", "c@example.net").code());
                assertEquals(250, c.data("Subject: hi\r\n\r\nbody\r\n").code());
            }
            String line = log.messages().stream().filter(m -> m.startsWith("delivered")).findFirst().orElse("none");
            assertTrue(line.matches("delivered id=[0-9A-Z]+ client=unknown\\[127\\.0\\.0\\.6] helo=client\\.example\\.net"
                    + " from=<a@example\\.net> to=\\[<b@example\\.net>, <c@example\\.net>] size=\\d+ queue-id=\\d+"), line);
        }
        given().get("/console/stats").then().statusCode(200).body(containsString("\"dnsbl-hit/soft.test\""))
                .body(containsString("\"dnsbl/continue\""));
        given().get("/q/metrics").then().statusCode(200).body(containsString("gateway_dnsbl_hits_total{zone=\"soft.test\"}"));
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

    private static String mimeWith(String disposition, String type, byte[] content) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes()).encodeToString(content);
        return "From: a@example.net\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"BOUND\"\r\n\r\n"
                + "--BOUND\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--BOUND\r\nContent-Type: " + type + "\r\n"
                + "Content-Disposition: " + disposition + "\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--BOUND--\r\n";
    }

    private static byte[] zipWithEntry(String name, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content);
            z.closeEntry();
        }
        return bytes.toByteArray();
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
