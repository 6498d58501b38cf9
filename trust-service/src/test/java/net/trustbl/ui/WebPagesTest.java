package net.trustbl.ui;

import net.trustbl.member.AccountService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import net.trustbl.listing.EvidenceSamples;
import net.trustbl.member.ApiKey;
import net.trustbl.stats.StatsService;
import net.trustbl.support.Api;
import net.trustbl.trust.TrustEngineHost;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = MailServerResource.class, restrictToAnnotatedClass = false)
class WebPagesTest {

    static final String HOSTILE = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";

    @Inject
    AccountService accounts;

    @Inject
    TrustEngineHost engine;

    @Inject
    EvidenceSamples evidence;

    @Inject
    StatsService statsService;

    @Inject
    jakarta.persistence.EntityManager em;

    /** A member made through the API whose address is confirmed, logged in on a fresh client. */
    WebClient loggedIn(Api.Member m) {
        accounts.confirmEmail(m.id());
        WebClient c = new WebClient();
        Response r = c.login(m.email(), m.password());
        assertEquals(303, r.statusCode(), r.asString());
        return c;
    }

    @Test
    void homeExplainsTheListWithTheZoneFilledIn() {
        Response r = given().get("/");
        assertEquals(200, r.statusCode());
        String html = r.asString();
        assertTrue(html.contains("reject_rbl_client bl.trustbl.test=127.0.0.[2..4]"), "postfix line with zone");
        assertTrue(html.contains("postscreen_dnsbl_sites"));
        assertTrue(html.contains("rblsmtpd -b -c -r bl.trustbl.test"));
        assertTrue(html.contains("check_rbl('trustbl-lastexternal', 'bl.trustbl.test.')"));
        assertTrue(html.contains("2.0.0.127.bl.trustbl.test"), "RFC 5782 test point");
        assertTrue(r.getHeader("Content-Security-Policy").contains("default-src 'none'"));
        assertFalse(html.contains("<script"), "no JavaScript anywhere");
        assertFalse(html.matches("(?s).*(src|href)=\"https?://.*"), "nothing loaded from elsewhere");
        assertEquals(200, given().get("/css/trustbl.css").statusCode());
    }

    @Test
    void lookupPageShowsTestPointsAndRejectsGarbageWithoutA500() {
        String listed = given().get("/lookup/127.0.0.2").then().statusCode(200).extract().asString();
        assertTrue(listed.contains("127.0.0.2 is listed"));
        assertTrue(listed.contains("RFC 5782"));
        assertTrue(listed.contains("<a href=\"/lookup\" class=\"on\">"), "the menu marks the current page");
        String clean = given().get("/lookup/127.0.0.1").then().statusCode(200).extract().asString();
        assertTrue(clean.contains("127.0.0.1 is not listed"));
        given().redirects().follow(false).get("/lookup?ip=8.8.8.8").then().statusCode(303);
        given().get("/lookup?ip=no-such-thing").then().statusCode(422);
        given().get("/lookup/" + "9".repeat(1000)).then().statusCode(422);
    }

    @Test
    void hostileInputIsEscapedEverywhereItIsShown() {
        Response r = given().urlEncodingEnabled(true).get("/lookup/" + HOSTILE.replace("/", "%2F"));
        String html = r.asString();
        assertEquals(422, r.statusCode());
        assertFalse(html.contains("<script>alert(1)"), html);
        assertFalse(html.contains("<img src=x"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(2)&gt;"), html);

        // the lookup form echoes its input
        String form = given().queryParam("ip", HOSTILE).get("/lookup").asString();
        assertFalse(form.contains("<script>alert(1)"));
        assertFalse(form.contains("\"'><img"));

        // the report form echoes every line with its result
        Api.Member m = Api.newMember();
        WebClient c = loggedIn(m);
        String page = c.submit("/reports", "/reports", Map.of("ips", HOSTILE + "\n" + Api.freshIp(), "verdict", "spam")).asString();
        assertFalse(page.contains("<script>alert(1)"), page);
        assertFalse(page.contains("<img src=x"));
        assertTrue(page.contains("&lt;script&gt;"));
        assertTrue(page.contains("filed as report #"), "the valid line was filed although another was not");

        // a key label is shown on the keys page
        String keys = c.submit("/keys", "/keys", Map.of("label", HOSTILE, "password", m.password())).asString();
        assertFalse(keys.contains("<script>alert(1)"));
        assertTrue(keys.contains("&lt;script&gt;alert(1)"));
    }

    @Test
    void everyFormNeedsTheCsrfTokenOfItsOwnSession() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        WebClient c = new WebClient();
        // no token: login refused even with the right password
        assertEquals(403, c.post("/login", Map.of("email", m.email(), "password", m.password())).statusCode());
        // a token from another visitor does not work either
        String foreign = new WebClient().csrf("/login");
        c.get("/login");
        assertEquals(403, c.post("/login", Map.of("csrf", foreign, "email", m.email(), "password", m.password())).statusCode());
        assertEquals(303, c.login(m.email(), m.password()).statusCode());

        long keysBefore = keyCount(m.id());
        assertEquals(403, c.post("/keys", Map.of("label", "forged")).statusCode());
        assertEquals(403, c.post("/keys", Map.of("label", "forged", "csrf", "AAAA")).statusCode());
        // the token from before the login belonged to the anonymous session
        assertEquals(403, c.post("/keys", Map.of("label", "forged", "csrf", foreign)).statusCode());
        assertEquals(keysBefore, keyCount(m.id()));
        // the session alone does not make a key: it outlives the session, so the password is asked for
        assertEquals(422, c.submit("/keys", "/keys", Map.of("label", "session only")).statusCode());
        assertEquals(422, c.submit("/keys", "/keys", Map.of("label", "wrong", "password", "not the password")).statusCode());
        assertEquals(keysBefore, keyCount(m.id()));
        assertEquals(200, c.submit("/keys", "/keys", Map.of("label", "real", "password", m.password())).statusCode());
        assertEquals(keysBefore + 1, keyCount(m.id()));
        // logout is a form too
        assertEquals(403, c.post("/logout", Map.of()).statusCode());
        assertEquals(200, c.get("/dashboard").statusCode());
    }

    static long keyCount(long memberId) {
        return QuarkusTransaction.requiringNew().call(() -> ApiKey.count("memberId", memberId));
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSite() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        WebClient c = new WebClient();
        String csrf = c.csrf("/login");
        Response r = given().redirects().follow(false).cookies(c.cookies).contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("csrf", csrf, "email", m.email(), "password", m.password())).post("/login");
        assertEquals(303, r.statusCode());
        String setCookie = r.getHeaders().getValues("Set-Cookie").stream().filter(h -> h.startsWith("tbl_session=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertFalse(setCookie.contains("Secure"), "public URL is http in tests");
        assertTrue(r.getHeader("Location").endsWith("/dashboard"));
        // through a TLS proxy whose forwarded headers are trusted (the tests' loopback client is one)
        WebClient viaTls = new WebClient();
        String csrfTls = viaTls.csrf("/login");
        Response tls = given().redirects().follow(false).cookies(viaTls.cookies).header("X-Forwarded-Proto", "https")
                .contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("csrf", csrfTls, "email", m.email(), "password", m.password())).post("/login");
        assertEquals(303, tls.statusCode());
        String secureCookie = tls.getHeaders().getValues("Set-Cookie").stream().filter(h -> h.startsWith("tbl_session=")).findFirst().orElseThrow();
        assertTrue(secureCookie.contains("; Secure"), "a request that came over https gets a Secure cookie: " + secureCookie);
        // an open redirect through ?next= is refused
        WebClient d = new WebClient();
        Response evil = d.submit("/login", "/login", Map.of("email", m.email(), "password", m.password(), "next", "//evil.example/x"));
        assertTrue(evil.getHeader("Location").endsWith("/dashboard"), evil.getHeader("Location"));
    }

    @Test
    void memberPagesNeedALoginAndShowOnlyTheOwnData() {
        for (String p : new String[] {"/dashboard", "/reports", "/keys", "/query-key", "/rules", "/mailhosts"}) {
            Response r = given().redirects().follow(false).get(p);
            assertEquals(303, r.statusCode(), p);
            assertTrue(r.getHeader("Location").contains("/login?next="), p);
        }
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        WebClient ca = loggedIn(a);
        WebClient cb = loggedIn(b);
        String ipOfA = Api.freshIp();
        assertTrue(ca.submit("/reports", "/reports", Map.of("ips", ipOfA, "verdict", "spam")).asString().contains("filed as report #"));
        String keysPage = ca.submit("/keys", "/keys", Map.of("label", "a-key-label", "password", a.password())).asString();
        assertTrue(keysPage.contains("a-key-label"));
        long keyOfA = latestKey(a.id());

        // A sets personal rules and mail hosts first, so there is something of A's that B could see
        String allowOfA = "81.169.77.0/24";
        String denyOfA = "185.233.19.0/24";
        String hostOfA = "mx-of-a-" + System.nanoTime() + ".example.org";
        Response rulesSaved = ca.submit("/rules", "/rules", Map.of("threshold", "1.5", "allow", allowOfA, "deny", denyOfA));
        assertEquals(200, rulesSaved.statusCode(), rulesSaved.asString());
        String rulesOfA = ca.get("/rules").asString();
        assertTrue(rulesOfA.contains(allowOfA) && rulesOfA.contains(denyOfA), rulesOfA);
        Response hostsSaved = ca.submit("/mailhosts", "/mailhosts", Map.of("hosts", hostOfA + "\n81.2.3.0/28"));
        assertEquals(200, hostsSaved.statusCode(), hostsSaved.asString());
        assertTrue(ca.get("/mailhosts").asString().contains(hostOfA));

        assertTrue(ca.get("/dashboard").asString().contains(ipOfA));
        assertTrue(ca.get("/reports").asString().contains(ipOfA));
        for (String p : new String[] {"/dashboard", "/reports", "/reports?ip=" + ipOfA, "/keys", "/query-key", "/rules", "/mailhosts"}) {
            String html = cb.get(p).asString();
            assertFalse(html.contains("href=\"/lookup/" + ipOfA + "\""), p + " of B shows A's report");
            assertFalse(html.contains("a-key-label"), p + " of B shows A's key");
            assertFalse(html.contains(a.queryKey()), p + " of B shows A's query key");
            assertFalse(html.contains(a.email()), p + " of B shows A's email");
            assertFalse(html.contains(allowOfA) || html.contains(denyOfA), p + " of B shows A's rules");
            assertFalse(html.contains(hostOfA) || html.contains("81.2.3.0/28"), p + " of B shows A's mail hosts");
        }
        // B cannot revoke A's key: it looks like a missing one
        assertEquals(404, cb.submit("/keys", "/keys/" + keyOfA + "/revoke", Map.of()).statusCode());
        assertNull(revokedAt(keyOfA));
        assertEquals(303, ca.submit("/keys", "/keys/" + keyOfA + "/revoke", Map.of()).statusCode());
        assertNotNull(revokedAt(keyOfA));
    }

    static long latestKey(long memberId) {
        return QuarkusTransaction.requiringNew().call(() -> ApiKey.<ApiKey>find("memberId = ?1 order by id desc", memberId).firstResult().id);
    }

    static java.time.Instant revokedAt(long keyId) {
        return QuarkusTransaction.requiringNew().call(() -> ApiKey.<ApiKey>findById(keyId).revokedAt);
    }

    @Test
    void adminPagesAreForAdminsOnly() {
        for (String p : new String[] {"/admin/moderation", "/admin/members", "/admin/audit"}) {
            assertEquals(303, given().redirects().follow(false).get(p).statusCode(), p);
        }
        Api.Member m = Api.newMember();
        Api.Member victim = Api.newMember();
        WebClient member = loggedIn(m);
        for (String p : new String[] {"/admin/moderation", "/admin/members", "/admin/audit"}) {
            Response r = member.get(p);
            assertEquals(403, r.statusCode(), p);
            assertFalse(r.asString().contains(victim.email()));
        }
        String csrf = member.csrf("/dashboard");
        assertEquals(403, member.post("/admin/members/" + victim.id() + "/suspension", Map.of("csrf", csrf, "suspended", "true")).statusCode());
        assertEquals(403, member.post("/admin/members/" + victim.id() + "/trust", Map.of("csrf", csrf, "trust", "1.0")).statusCode());
        assertFalse(engine.member(victim.id()).suspended());
        assertFalse(engine.member(victim.id()).pinned());

        WebClient admin = new WebClient();
        assertEquals(303, admin.login(Api.ADMIN_EMAIL, Api.ADMIN_PASSWORD).statusCode());
        assertEquals(200, admin.get("/admin/moderation").statusCode());
        assertTrue(admin.get("/admin/members?q=" + victim.email()).asString().contains(victim.email()));
        assertEquals(303, admin.submit("/admin/members", "/admin/members/" + victim.id() + "/trust", Map.of("trust", "0.7")).statusCode());
        assertTrue(engine.member(victim.id()).pinned());
        assertEquals(0.7, engine.member(victim.id()).trust(), 1e-9);
        assertEquals(303, admin.submit("/admin/members", "/admin/members/" + victim.id() + "/suspension", Map.of("suspended", "true")).statusCode());
        assertTrue(engine.member(victim.id()).suspended());
        String audit = admin.get("/admin/audit").asString();
        assertTrue(audit.contains("member:" + victim.id()));
        assertTrue(audit.contains("suspend"));
        // a suspended member's session stops working at once
        accounts.confirmEmail(victim.id());
        assertEquals(403, new WebClient().login(victim.email(), victim.password()).statusCode());
    }

    @Test
    void aSuspensionEndsTheMembersSessionsSoAReactivationDoesNotReviveThem() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        WebClient session = loggedIn(m);
        assertEquals(200, session.get("/dashboard").statusCode());
        Api.suspend(m.id(), true);
        Api.suspend(m.id(), false);
        assertEquals(303, session.get("/dashboard").statusCode(), "the old cookie opens nothing after the reactivation");
        assertEquals(303, new WebClient().login(m.email(), m.password()).statusCode(), "the member logs in again");
    }

    @Test
    void anAdministratorCannotSuspendItselfThroughTheApi() {
        long self = given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/me").jsonPath().getLong("id");
        given().header("Authorization", "Bearer " + Api.adminKey()).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("suspended", true)).post("/api/v1/admin/members/" + self + "/suspension")
                .then().statusCode(409);
        given().header("Authorization", "Bearer " + Api.adminKey()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void loginIsRateLimitedPerAccount() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        WebClient c = new WebClient();
        for (int i = 0; i < 5; i++) { // %test.trustbl.web.login.burst=5
            int s = c.login(m.email(), "wrong password " + i).statusCode();
            assertEquals(401, s);
        }
        Response r = c.login(m.email(), m.password());
        assertEquals(429, r.statusCode(), "the right password after five guesses waits too");
        assertNotNull(r.getHeader("Retry-After"));
        assertTrue(r.asString().contains("Too many login attempts"));
        // other accounts are not affected
        Api.Member other = Api.newMember();
        accounts.confirmEmail(other.id());
        assertEquals(303, new WebClient().login(other.email(), other.password()).statusCode());
    }

    @Test
    void strangersGuessingAPasswordDoNotLockTheAccountsOwnerOut() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        WebClient owner = new WebClient();
        owner.headers.put("X-Forwarded-For", "198.51.100." + (1 + (int) (System.nanoTime() % 250)));
        assertEquals(303, owner.login(m.email(), m.password()).statusCode());
        owner.cookies.remove(Visitor.SESSION_COOKIE); // the session ended; the browser is the same
        WebClient stranger = new WebClient();
        stranger.headers.put("X-Forwarded-For", "203.0.113." + (1 + (int) (System.nanoTime() % 250)));
        for (int i = 0; i < 5; i++) { // %test.trustbl.web.login.burst=5
            assertEquals(401, stranger.login(m.email(), "wrong password " + i).statusCode());
        }
        assertEquals(429, stranger.login(m.email(), m.password()).statusCode(), "a browser new to the account waits");
        assertEquals(303, owner.login(m.email(), m.password()).statusCode(), "the browser the owner logged in with does not");
        // the device cookie is for that account only
        Api.Member other = Api.newMember();
        accounts.confirmEmail(other.id());
        WebClient both = new WebClient();
        both.headers.put("X-Forwarded-For", "192.0.2." + (1 + (int) (System.nanoTime() % 250)));
        assertEquals(303, both.login(other.email(), other.password()).statusCode());
        both.cookies.remove(Visitor.SESSION_COOKIE);
        assertEquals(429, both.login(m.email(), m.password()).statusCode(), "a cookie of another account does not help");
    }

    @Test
    void setupLinkThatIsUnknownIsRefusedOnThePage() {
        WebClient c = new WebClient();
        Response r = c.submit("/setup?token=bogus", "/setup", Map.of("token", "bogus", "email", "root@example.org",
                "password", "a long password", "password2", "a long password"));
        assertEquals(403, r.statusCode());
        assertTrue(r.asString().contains("the setup link is unknown, used or expired"));
    }

    @Test
    void aSetupFormWithAShortPasswordIsRefusedBeforeTheLinkIsLookedAt() {
        // the input is checked before the one-time link is used, so a typo cannot use it up
        WebClient c = new WebClient();
        Response r = c.submit("/setup?token=bogus", "/setup", Map.of("token", "bogus", "email", "root@example.org",
                "password", "short", "password2", "short"));
        assertEquals(422, r.statusCode());
        assertTrue(r.asString().contains("at least"), r.asString());
    }

    @Test
    void passwordResetRequestsAreLimitedPerClient() {
        WebClient c = new WebClient();
        c.headers.put("X-Forwarded-For", "198.18.11." + (1 + (int) (System.nanoTime() % 250)));
        for (int i = 0; i < 10; i++) {
            assertEquals(200, c.submit("/reset", "/reset", Map.of("email", "nobody" + i + "-" + System.nanoTime() + "@example.org"))
                    .statusCode(), "request " + i);
        }
        assertEquals(429, c.submit("/reset", "/reset", Map.of("email", "nobody-" + System.nanoTime() + "@example.org")).statusCode());
    }

    @Test
    void statisticsAreServerRenderedSvg() {
        String html = given().get("/stats").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<svg"));
        assertTrue(html.contains("Reports per day"));
        assertFalse(html.contains("<script"));
    }

    @Test
    void pastedRawMessageIsTracedToItsSourceAndTheSampleShowsRedacted() {
        WebClient c = loggedIn(Api.newMember());
        String ip = Api.freshIp();
        String message = "Received: from spam.bulk-offers.example (unknown [" + ip + "])\n"
                + "\tby mx1.member-mail.net (Postfix) with ESMTP id 4Yk3Qv6Jt2z9sVn\n"
                + "\tfor <bob@member-mail.net>; Mon, 23 Nov 2026 10:00:02 +0100 (CET)\n"
                + "From: deals@bulk-offers.example\nTo: bob@member-mail.net\n"
                + "Subject: Offer for bob@member-mail.net order 1234567 <b>now</b>\n"
                + "Message-ID: <" + System.nanoTime() + "@bulk-offers.example>\n\nBuy now\n";
        String page = c.submit("/reports", "/reports/raw", Map.of("message", message)).asString();
        assertTrue(page.contains(">" + ip + "<"), page);
        assertFalse(given().get("/lookup/" + ip).asString().contains("Samples of the reported mail"),
                "an address that is not listed shows no evidence to the public (EvidenceDisclosure)");
        WebClient admin = new WebClient(); // an admin sees the evidence of any address
        assertEquals(303, admin.login(Api.ADMIN_EMAIL, Api.ADMIN_PASSWORD).statusCode());
        String hidden = admin.get("/lookup/" + ip).asString();
        assertTrue(hidden.contains("Samples of the reported mail"), hidden);
        assertFalse(hidden.contains("Offer for"), "trustbl.evidence.show-subject is off by default: no subject line");
        assertFalse(hidden.contains("<th>Subject</th>"));
        String sample;
        evidence.showSubject(true);
        try {
            sample = admin.get("/lookup/" + ip).asString();
        } finally {
            evidence.showSubject(false);
        }
        assertTrue(sample.contains("Offer for"), sample);
        assertFalse(sample.contains("bob@member-mail.net"), "recipient addresses are redacted");
        assertFalse(sample.contains("1234567"), "long numbers are redacted");
        assertFalse(sample.contains("member-mail.net"), "nor their domain, the reporter's organisation");
        assertTrue(sample.contains("&lt;b&gt;now&lt;/b&gt;"), "and the subject is escaped");
        assertEquals(422, c.submit("/reports", "/reports/raw", Map.of("message", "no headers at all")).statusCode());
    }

    @Test
    void samplesOfClearedReportsAreNotShown() {
        WebClient c = loggedIn(Api.newMember());
        String ip = Api.freshIp();
        String message = "Received: from spam.example (unknown [" + ip + "])\n\tby mx1.member-mail.net (Postfix) with ESMTP id 1\n"
                + "\tfor <bob@member-mail.net>; Mon, 23 Nov 2026 10:00:02 +0100 (CET)\n"
                + "From: x@spam.example\nSubject: cleared later\nMessage-ID: <" + System.nanoTime() + "@spam.example>\n\nhi\n";
        assertEquals(200, c.submit("/reports", "/reports/raw", Map.of("message", message)).statusCode());
        WebClient admin = new WebClient(); // the address is not listed: only an admin sees its evidence
        assertEquals(303, admin.login(Api.ADMIN_EMAIL, Api.ADMIN_PASSWORD).statusCode());
        assertTrue(admin.get("/lookup/" + ip).asString().contains("Samples of the reported mail"));
        // the report turns out wrong (a moderator upheld a delisting, the engine cleared it)
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE report SET outcome = 'cleared' WHERE id IN "
                + "(SELECT report_id FROM report_evidence WHERE source_ip = ?1)").setParameter(1, ip).executeUpdate());
        assertFalse(admin.get("/lookup/" + ip).asString().contains("Samples of the reported mail"),
                "a cleared report's mail is not shown as evidence");
    }

    @Test
    void loginFailuresAreLimitedPerClientAddressAsQuarkusResolvesIt() {
        // %test trusts loopback as a proxy: X-Forwarded-For is the client, as behind a TLS proxy
        WebClient c = new WebClient();
        c.headers.put("X-Forwarded-For", "198.51.100." + (1 + (int) (System.nanoTime() % 250)));
        int limit = 15; // 3 x %test.trustbl.web.login.burst, each failure on another account
        Response r = null;
        int refusedAt = -1;
        for (int i = 0; i < limit + 10 && refusedAt < 0; i++) {
            r = c.login("nobody" + i + "-" + System.nanoTime() + "@example.org", "guess");
            if (r.statusCode() == 429) {
                refusedAt = i;
            } else {
                assertEquals(401, r.statusCode(), "attempt " + i);
            }
        }
        assertTrue(refusedAt >= limit, "refused only after the burst, and refused at all: " + refusedAt);
        assertTrue(r.asString().contains("Too many login attempts"));
        assertNotNull(r.getHeader("Retry-After"));
        // another client behind the same proxy is not affected: the limit is per forwarded address
        WebClient other = new WebClient();
        other.headers.put("X-Forwarded-For", "203.0.113." + (1 + (int) (System.nanoTime() % 250)));
        assertEquals(401, other.login("nobody-else-" + System.nanoTime() + "@example.org", "guess").statusCode());
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        assertEquals(303, other.login(m.email(), m.password()).statusCode());
    }

    @Test
    void parallelLoginFailuresCannotAllPassTheClientCheckBeforeOneIsCharged() throws Exception {
        // a sprayer sends its guesses together; each must take its token before the slow password check
        String client = "198.18.9." + (1 + (int) (System.nanoTime() % 250));
        int parallel = 40;
        int limit = 15; // 3 x %test.trustbl.web.login.burst
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            CountDownLatch ready = new CountDownLatch(parallel);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                String email = "spray" + i + "-" + System.nanoTime() + "@example.org";
                codes.add(pool.submit(() -> {
                    WebClient c = new WebClient();
                    c.headers.put("X-Forwarded-For", client);
                    String csrf = c.csrf("/login");
                    ready.countDown();
                    go.await();
                    return c.post("/login", Map.of("csrf", csrf, "email", email, "password", "guess")).statusCode();
                }));
            }
            assertTrue(ready.await(60, TimeUnit.SECONDS));
            go.countDown();
            int checked = 0;
            int refused = 0;
            for (Future<Integer> f : codes) {
                int code = f.get(120, TimeUnit.SECONDS);
                if (code == 401) {
                    checked++;
                } else {
                    assertEquals(429, code);
                    refused++;
                }
            }
            assertTrue(checked <= limit + 1, "password checks run for one client at once: " + checked); // + the refill meanwhile
            assertEquals(parallel, checked + refused);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void statisticsAreComputedAtMostOnceAMinute() {
        statsService.invalidate();
        StatsService.Stats first = statsService.stats();
        Api.Member m = Api.newMember();
        Api.report(m.key(), Api.freshIp(), "spam").then().statusCode(202);
        assertSame(first, statsService.stats(), "served from the cache, not computed again");
        statsService.invalidate();
        assertEquals(first.reports30d() + 1, statsService.stats().reports30d(), "computed again once the cache is gone");
    }

    @Test
    void theListedAddressesChartEndsAtTheLiveCount() {
        String ip = MailAndModerationTest.listedAddress();
        assertTrue(given().get("/lookup/" + ip).asString().contains(ip + " is listed"));
        // the change history lags or was pruned: the chart must still end at what is listed now
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM listing_change WHERE ip = ?1")
                .setParameter(1, ip).executeUpdate());
        statsService.invalidate();
        StatsService.Stats st = statsService.stats();
        assertEquals(st.listedNow(), st.active().get(st.active().size() - 1).count(), "today's figure is what is listed now");
        List<Svg.Point> bars = StatsCharts.activePoints(st);
        Svg.Point last = bars.get(bars.size() - 1);
        assertEquals("now", last.label());
        assertEquals(st.listedNow(), (long) last.value(), "the chart's last bar is the number the page states");
        String html = given().get("/stats").asString();
        assertTrue(html.contains("the last bar: now"), html);
    }
}
