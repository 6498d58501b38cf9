package net.trustbl.ui;

import net.trustbl.testing.Eventually;
import net.trustbl.member.AccountService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.JournalEntry;
import net.trustbl.mail.WeeklyImpactJob;
import net.trustbl.moderation.ModerationService;
import net.trustbl.report.DashboardService;
import net.trustbl.support.Api;
import net.trustbl.trust.TrustEngineHost;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flows that go through real mail (SMTP to the in-process SmtpSink) and the moderation queue into the engine. */
@QuarkusTest
class MailAndModerationTest {

    static final String PASSWORD = "a long enough password";

    @Inject
    AccountService accounts;

    @Inject
    ModerationService moderation;

    @Inject
    TrustEngineHost engine;

    @Inject
    EventJournal journal;

    @Inject
    WeeklyImpactJob weekly;

    @Inject
    DashboardService dashboard;

    @Inject
    jakarta.persistence.EntityManager em;

    static String uniqueEmail(String who) {
        return who + System.nanoTime() + "@mail.example";
    }

    private static WebClient adminSession;

    /**
     * One admin session for the class. Every login counts against the admin account's login limit
     * (a burst of 5 in tests, one more each 10 s), which other test classes use too: a sixth login
     * within seconds was answered 429 in CI (ci50).
     */
    static synchronized WebClient admin() {
        if (adminSession == null) {
            WebClient a = new WebClient();
            assertEquals(303, a.login(Api.ADMIN_EMAIL, Api.ADMIN_PASSWORD).statusCode());
            adminSession = a;
        }
        return adminSession;
    }

    @Test
    void registrationIsConfirmedByMailBeforeTheFirstLogin() {
        String email = uniqueEmail("new");
        WebClient c = new WebClient();
        assertEquals(422, c.submit("/register", "/register", Map.of("email", email, "password", PASSWORD, "password2", "different password")).statusCode());
        Response r = c.submit("/register", "/register", Map.of("email", email, "password", PASSWORD, "password2", PASSWORD));
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("Check your mail"));
        assertEquals(409, c.submit("/register", "/register", Map.of("email", email, "password", PASSWORD, "password2", PASSWORD)).statusCode());

        Response early = c.login(email, PASSWORD);
        assertEquals(403, early.statusCode());
        assertTrue(early.asString().contains("confirm your email"));

        String link = Mailbox.link(Mailbox.await(email, "Confirm your TrustBL address"), "/confirm?token=");
        assertTrue(c.get(link).asString().contains("Confirm my address"), "opening the link shows a button");
        assertFalse(emailConfirmed(email), "opening it (as a mail scanner does) confirms nothing");
        assertTrue(c.confirm(link).asString().contains("Address confirmed"));
        assertEquals(404, c.confirm(link).statusCode(), "a confirmation link works once");
        assertEquals(303, c.login(email, PASSWORD).statusCode());
        assertTrue(c.get("/dashboard").asString().contains(email));
    }

    @Test
    void passwordResetByMailEndsOtherSessions() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        WebClient old = new WebClient();
        assertEquals(303, old.login(m.email(), m.password()).statusCode());

        WebClient c = new WebClient();
        String answerKnown = c.submit("/reset", "/reset", Map.of("email", m.email())).asString();
        String answerUnknown = c.submit("/reset", "/reset", Map.of("email", uniqueEmail("nobody"))).asString();
        assertTrue(answerKnown.contains("If an account with this address exists"));
        assertEquals(answerKnown.replaceAll("value=\"[^\"]+\"", ""), answerUnknown.replaceAll("value=\"[^\"]+\"", ""),
                "the answer does not tell whether the account exists");

        String link = Mailbox.link(Mailbox.await(m.email(), "Reset your TrustBL password"), "/reset/password?token=");
        String token = link.substring(link.indexOf("token=") + 6);
        assertEquals(200, c.get(link).statusCode());
        String newPassword = "the new password 42";
        Response done = c.submit(link, "/reset/password", Map.of("token", token, "password", newPassword, "password2", newPassword));
        assertTrue(done.asString().contains("Password changed"), done.asString());
        assertEquals(303, old.get("/dashboard").statusCode(), "the old session was logged out");
        assertEquals(401, new WebClient().login(m.email(), m.password()).statusCode());
        assertEquals(303, new WebClient().login(m.email(), newPassword).statusCode());
        assertEquals(404, c.get(link).statusCode(), "a reset link works once");
    }

    @Test
    void whoeverRegisteredAnAddressFirstLosesItsKeysReportAddressAndQueryKeyWhenTheOwnerResets() {
        // a stranger registers the owner's address and makes a key (Basic works before confirmation)
        Api.Member squatter = Api.newMember();
        String alias = given().header("Authorization", "Bearer " + squatter.key()).get("/api/v1/me").jsonPath().getString("reportAlias");

        WebClient owner = new WebClient();
        owner.submit("/reset", "/reset", Map.of("email", squatter.email()));
        String link = Mailbox.link(Mailbox.await(squatter.email(), "Reset your TrustBL password"), "/reset/password?token=");
        String token = link.substring(link.indexOf("token=") + 6);
        owner.get(link);
        String newPassword = "the owner's own password";
        Response done = owner.submit(link, "/reset/password", Map.of("token", token, "password", newPassword, "password2", newPassword));
        assertTrue(done.asString().contains("API key was revoked") && done.asString().contains("report address and DNS query key were replaced"),
                done.asString());

        given().header("Authorization", "Bearer " + squatter.key()).get("/api/v1/me").then().statusCode(401);
        String ownKey = Api.createKey(squatter.email(), newPassword);
        var me = given().header("Authorization", "Bearer " + ownKey).get("/api/v1/me").then().statusCode(200).extract().jsonPath();
        assertNotEquals(alias, me.getString("reportAlias"), "mail to the squatter's report address is no longer filed as the owner");
        assertNotEquals(squatter.queryKey(), me.getString("queryKey"));
    }

    @Test
    void delistingRequestIsConfirmedByMailThenUpheldAndStrikesTheReporters() {
        String ip = Api.freshIp();
        Api.Reporters reporters = Api.listByTwoReporters(ip);
        Api.Member a = reporters.a();
        Api.Member b = reporters.b();
        int strikesBefore = engine.member(a.id()).strikes();

        WebClient sender = new WebClient();
        String page = sender.get("/lookup/" + ip).asString();
        assertTrue(page.contains(ip + " is listed"), page);
        assertTrue(page.contains("127.0.0.2"));
        assertTrue(page.contains("Request delisting"));
        assertTrue(page.contains("member reports (API)"), "counts by source");

        String requester = uniqueEmail("postmaster");
        Response sent = sender.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting",
                Map.of("email", requester, "message", WebPagesTest.HOSTILE));
        assertEquals(200, sent.statusCode(), sent.asString());
        assertTrue(sent.asString().contains("Check your mail"));

        WebClient admin = admin();
        assertFalse(admin.get("/admin/moderation").asString().contains(">" + ip + "<"), "unconfirmed requests wait outside the queue");

        assertEquals(0L, requestEvents(ip), "an unconfirmed request tells the engine nothing");
        String link = Mailbox.link(Mailbox.await(requester, "Confirm your delisting request for " + ip), "/delisting/confirm?token=");
        assertTrue(sender.get(link).asString().contains("Confirm the request"), "opening the link shows a button");
        assertEquals(0L, requestEvents(ip), "opening it (as a mail scanner does) confirms nothing");
        assertTrue(sender.confirm(link).asString().contains("Request confirmed"));
        assertEquals(404, sender.confirm(link).statusCode());
        assertEquals(1L, requestEvents(ip), "the confirmed request is journaled for the engine (a contested listing, rule 4)");
        given().get("/api/v1/lookup/" + ip).then().statusCode(200).body("listed", equalTo(true)); // a request delists nothing by itself

        String queue = admin.get("/admin/moderation").asString();
        assertTrue(queue.contains(">" + ip + "<"), queue);
        assertFalse(queue.contains("<script>alert(1)"), "the requester's message is escaped");
        assertTrue(queue.contains("&lt;script&gt;alert(1)"));
        assertTrue(queue.contains(a.email()) && queue.contains(b.email()), "the moderator sees who reported it");
        long id = moderation.pendingFor(ip).get(0).id();

        assertEquals(303, admin.submit("/admin/moderation", "/admin/moderation/" + id, Map.of("decision", "uphold")).statusCode());
        given().get("/api/v1/lookup/" + ip).then().statusCode(200).body("listed", equalTo(false));
        assertTrue(engine.member(a.id()).strikes() > strikesBefore, "an upheld delisting strikes the reporters");
        assertTrue(engine.member(b.id()).strikes() > 0);
        assertTrue(Mailbox.await(requester, "was granted").body().contains("GRANTED"));
        assertEquals(409, admin.submit("/admin/moderation", "/admin/moderation/" + id, Map.of("decision", "reject")).statusCode(),
                "an item is decided once");
        assertTrue(admin.get("/admin/audit").asString().contains("moderation-uphold"));
        assertTrue(sender.get("/lookup/" + ip).asString().contains(ip + " is not listed"));
    }

    private boolean emailConfirmed(String email) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> (Boolean) em.createNativeQuery(
                "SELECT email_confirmed FROM member WHERE email = ?1").setParameter(1, email).getSingleResult());
    }

    private long requestEvents(String ip) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM engine_event WHERE kind = 'request' AND ip = ?1").setParameter(1, ip).getSingleResult()).longValue());
    }

    /** An address listed on the spam reports of two trusted members. */
    static String listedAddress() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        return ip;
    }

    static String confirmLink(String email, String ip) {
        return Mailbox.link(Mailbox.await(email, "Confirm your delisting request for " + ip), "/delisting/confirm?token=");
    }

    @Test
    void unconfirmedDelistingRequestsDoNotUseUpTheOwnersQuota() {
        String ip = listedAddress();
        WebClient attacker = new WebClient();
        // many unconfirmed requests for the address (each from another throwaway mailbox) ...
        for (int i = 0; i < 6; i++) {
            assertEquals(200, attacker.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting",
                    Map.of("email", uniqueEmail("junk" + i))).statusCode());
        }
        // ... and the real owner can still ask, and confirm
        WebClient owner = new WebClient();
        String ownerEmail = uniqueEmail("postmaster");
        assertEquals(200, owner.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting", Map.of("email", ownerEmail)).statusCode());
        assertTrue(owner.confirm(confirmLink(ownerEmail, ip)).asString().contains("Request confirmed"));
        assertTrue(moderation.pendingFor(ip).stream().anyMatch(i -> ownerEmail.equals(i.requesterEmail())));
    }

    @Test
    void delistingRequestsAreLimitedPerRequesterAndConfirmationsPerAddress() {
        String ip = listedAddress();
        WebClient c = new WebClient();
        String same = uniqueEmail("same");
        for (int i = 0; i < 3; i++) { // trustbl.web.delisting.per-email-per-hour=3
            assertEquals(200, c.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting", Map.of("email", same)).statusCode());
        }
        Response r = c.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting", Map.of("email", same));
        assertEquals(429, r.statusCode());
        assertTrue(r.asString().contains("Too many delisting requests"));

        // confirmed requests per address: 3 an hour; the 4th link waits (it is not used up)
        List<String> emails = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String e = uniqueEmail("c" + i);
            emails.add(e);
            assertEquals(200, c.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting", Map.of("email", e)).statusCode());
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(c.confirm(confirmLink(emails.get(i), ip)).asString().contains("Request confirmed"));
        }
        String fourth = confirmLink(emails.get(3), ip);
        Response late = c.confirm(fourth);
        assertEquals(429, late.statusCode());
        assertNotNull(late.getHeader("Retry-After"));
        assertTrue(late.asString().contains("stays valid"), late.asString());
        assertFalse(moderation.pendingFor(ip).stream().anyMatch(i -> emails.get(3).equals(i.requesterEmail())));

        // a bad address is a form error, not a server error; an unlisted address has nothing to remove
        assertEquals(422, c.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting", Map.of("email", "not an address")).statusCode());
        String csrf = c.csrf("/lookup/" + ip);
        assertEquals(409, c.post("/lookup/127.0.0.1/delisting", Map.of("csrf", csrf, "email", uniqueEmail("x"))).statusCode());
    }

    @Test
    void unconfirmedDelistingRequestsExpireAfter48Hours() {
        String ip = listedAddress();
        WebClient c = new WebClient();
        String oldEmail = uniqueEmail("old");
        String newEmail = uniqueEmail("new");
        assertEquals(200, c.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting", Map.of("email", oldEmail)).statusCode());
        assertEquals(200, c.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting", Map.of("email", newEmail)).statusCode());
        String oldLink = confirmLink(oldEmail, ip);
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE moderation_item SET created_at = now() - interval '49 hours' WHERE requester_email = ?1")
                .setParameter(1, oldEmail).executeUpdate());
        assertTrue(moderation.expireUnconfirmed() >= 1);
        assertEquals(0L, unconfirmed(oldEmail), "the stale request is gone");
        assertEquals(1L, unconfirmed(newEmail), "a fresh one waits for its confirmation");
        assertEquals(404, c.confirm(oldLink).statusCode());
        assertTrue(c.confirm(confirmLink(newEmail, ip)).asString().contains("Request confirmed"));
    }

    long unconfirmed(String email) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM moderation_item WHERE requester_email = ?1 AND status = 'unconfirmed'")
                .setParameter(1, email).getSingleResult()).longValue());
    }

    @Test
    void aDecisionAnswersEveryOpenRequestOnTheSameListing() {
        String ip = listedAddress();
        WebClient c = new WebClient();
        List<String> requesters = List.of(uniqueEmail("owner"), uniqueEmail("duplicate"));
        for (String r : requesters) {
            assertEquals(200, c.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting", Map.of("email", r)).statusCode());
            assertTrue(c.confirm(confirmLink(r, ip)).asString().contains("Request confirmed"));
        }
        assertEquals(2, moderation.pendingFor(ip).size());
        assertEquals(1, moderation.openItems(500).stream().filter(i -> i.ip().equals(ip)).count(),
                "the queue shows one item per listing, however many ask");
        long id = moderation.pendingFor(ip).get(0).id();
        assertEquals(303, admin().submit("/admin/moderation", "/admin/moderation/" + id, Map.of("decision", "uphold")).statusCode());
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(false));
        // left open, a later "rejected" on the duplicate would tell the engine the listing was right
        assertTrue(moderation.pendingFor(ip).isEmpty(), "the duplicate is decided with it");
        for (String r : requesters) {
            assertTrue(Mailbox.await(r, "was granted").body().contains("GRANTED"), r);
        }
    }

    @Test
    void aDeclinedDelistingRequestIsToldByMail() {
        String ip = listedAddress();
        WebClient sender = new WebClient();
        String requester = uniqueEmail("declined");
        assertEquals(200, sender.submit("/lookup/" + ip, "/lookup/" + ip + "/delisting",
                Map.of("email", requester, "message", "we fixed it")).statusCode());
        assertTrue(sender.confirm(confirmLink(requester, ip)).asString().contains("Request confirmed"));
        long id = moderation.pendingFor(ip).stream().filter(i -> requester.equals(i.requesterEmail())).findFirst().orElseThrow().id();
        assertEquals(303, admin().submit("/admin/moderation", "/admin/moderation/" + id, Map.of("decision", "reject")).statusCode());
        Mailbox.Received mail = Mailbox.await(requester, "Your delisting request for " + ip + " was declined");
        assertTrue(mail.body().contains("DECLINED"), mail.body());
        assertTrue(mail.body().contains("/lookup/" + ip), "the mail links the lookup page: " + mail.body());
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true));
    }

    @Test
    void aSuddenFloodOfLookupsDoesNotHoldAReportedAddress() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();
        // 200,000 counted lookups at once: the volume bar may rise only twofold a day, so the
        // address is no big sender the same day and two trusted reports list it
        journal.submitAndWait(List.of(new JournalEntry.Fact(new EngineEvent.TrafficObserved(IpBlock.parse(ip), 200_000, 0))));
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true)).body("threshold", equalTo(1.0f))
                .body("evidence.heldForModeration", equalTo(false));
    }

    @Test
    void anEngineHoldIsDecidedByOneClick() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.Member c = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        Api.pinTrust(c.id(), 1.0);
        String ip = Api.freshIp();
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        // an established member vouches for the listed address: the engine asks a moderator
        // (vouching never clears a listing by itself)
        Api.report(c.key(), ip, "trusted").then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true));

        WebClient admin = admin();
        assertTrue(admin.get("/admin/moderation").asString().contains("Held by the engine"));
        long id = moderation.pendingFor(ip).stream().filter(i -> i.kind().equals(ModerationService.HOLD)).findFirst().orElseThrow().id();
        assertTrue(moderation.pendingFor(ip).stream().anyMatch(i -> i.reason().startsWith("disputed")));
        assertEquals(303, admin.submit("/admin/moderation", "/admin/moderation/" + id, Map.of("decision", "uphold")).statusCode());
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true));
        given().header("Authorization", "Bearer " + c.key()).get("/api/v1/reports").then()
                .body("find { it.ip == '" + ip + "' }.outcome", equalTo("cleared"));
    }

    /**
     * Turning down a hold tells the engine HoldDismissed, not an upheld delisting: the hold listed
     * nothing, so its reports stay pending and nobody is struck (a diligent moderator turning down
     * every hold of a clean sender cost the sweep a tenth of its worlds when that struck).
     */
    @Test
    void turningDownAHoldOfAnUnlistedAddressStrikesNobody() {
        Api.Member a = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        String ip = Api.freshIp();
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(false));
        long id = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "INSERT INTO moderation_item (kind, ip, reason) VALUES ('big-sender-hold', ?1, 'held for a test') RETURNING id")
                .setParameter(1, ip).getSingleResult()).longValue());

        assertEquals(303, admin().submit("/admin/moderation", "/admin/moderation/" + id, Map.of("decision", "reject")).statusCode());
        assertEquals("rejected", moderation.find(id).orElseThrow().status());
        assertEquals(1L, io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM engine_event WHERE kind = 'dismiss' AND ip = ?1").setParameter(1, ip).getSingleResult()).longValue()));
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(false));
        given().header("Authorization", "Bearer " + a.key()).get("/api/v1/reports").then()
                .body("find { it.ip == '" + ip + "' }.outcome", equalTo("pending"));
    }

    @Test
    void membersCanDisputeAListing() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        Api.Member c = Api.newMember();
        accounts.confirmEmail(c.id());
        WebClient web = new WebClient();
        web.login(c.email(), c.password());
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true));
        // a fresh account has no track record: its dispute would reach the moderators unchecked
        var refused = web.submit("/lookup/" + ip, "/lookup/" + ip + "/dispute", Map.of("message", "our customer, checked"));
        assertEquals(403, refused.statusCode());
        assertTrue(refused.asString().contains("members with a track record"), refused.asString());
        assertTrue(moderation.pendingFor(ip).isEmpty(), "nothing reached the moderators");
        Api.pinTrust(c.id(), 0.5); // an administrator vouches for this member
        assertTrue(web.submit("/lookup/" + ip, "/lookup/" + ip + "/dispute", Map.of("message", "our customer, checked")).asString()
                .contains("Your dispute was filed"));
        assertTrue(moderation.pendingFor(ip).stream().anyMatch(i -> i.kind().equals(ModerationService.DISPUTE)));
        long id = moderation.pendingFor(ip).get(0).id();
        assertEquals(303, admin().submit("/admin/moderation", "/admin/moderation/" + id, Map.of("decision", "reject")).statusCode());
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true));
    }

    @Test
    void anAddressThatIsNotListedCannotBeDisputed() {
        // a moderator's "the dispute is wrong" confirms the reports waiting on an address and lists it:
        // a dispute on an unlisted address would let a member's friends' pending reports list it
        Api.Member a = Api.newMember();
        String ip = Api.freshIp();
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(false));
        Api.Member c = Api.newMember();
        accounts.confirmEmail(c.id());
        WebClient web = new WebClient();
        web.login(c.email(), c.password());
        var answer = web.submit("/lookup/" + ip, "/lookup/" + ip + "/dispute", Map.of("message", "x"));
        assertEquals(409, answer.statusCode());
        assertTrue(answer.asString().contains("no listing to dispute"), answer.asString());
        assertTrue(moderation.pendingFor(ip).isEmpty(), "no moderation item");
    }

    @Test
    void weeklyImpactMailHasAWorkingOptOutLink() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        String ip = Api.freshIp();
        Api.report(m.key(), ip, "spam").then().statusCode(202);
        assertTrue(weekly.sendTo(m.id(), m.email()));
        Mailbox.Received mail = Mailbox.await(m.email(), "Your TrustBL week");
        assertTrue(mail.body().contains("Reports you filed                1"), mail.body());
        String link = Mailbox.link(mail, "/unsubscribe?m=");
        assertTrue(mail.message().header("List-Unsubscribe").contains("/unsubscribe?m=" + m.id()));
        WebClient c = new WebClient();
        assertEquals(404, c.get(link.replace("sig=", "sig=x")).statusCode(), "a forged link does nothing");
        assertEquals(404, c.get("/unsubscribe?m=" + (m.id() + 1) + link.substring(link.indexOf("&sig="))).statusCode());
        assertTrue(accounts.weeklyReport(m.id()));
        c.get(link);
        assertTrue(c.submit(link, "/unsubscribe", Map.of("m", String.valueOf(m.id()),
                "sig", java.net.URLDecoder.decode(link.substring(link.indexOf("sig=") + 4), java.nio.charset.StandardCharsets.UTF_8)))
                .asString().contains("Done"));
        assertFalse(accounts.weeklyReport(m.id()));
        int before = Mailbox.count(m.email());
        weekly.sendAll();
        assertEquals(before, Mailbox.count(m.email()), "opted out: no more weekly mail");
    }

    @Test
    void impactCountsLookupsOfListedAddressesTheMemberReported() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        // a's report weighs nothing (pinned below the trust floor): the address is listed only by
        // b's report, which meets the lowered bar of a sender without a clean record alone
        Api.pinTrust(a.id(), 0.09);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        journal.submitAndWait(List.of(new JournalEntry.Fact(new EngineEvent.TrafficObserved(IpBlock.parse(ip), 7, 0))));
        nextMillisecond(); // the journal's clock is in milliseconds: b's report comes strictly later
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        journal.submitAndWait(List.of(new JournalEntry.Fact(new EngineEvent.TrafficObserved(IpBlock.parse(ip), 5, 0))));
        var impact = dashboard.impact(a.id());
        assertEquals(12, impact.lookups(), "all lookups of the reported address this week");
        assertEquals(5, impact.likelyBlocked(), "only those while it was listed");
        assertEquals(1, impact.listedNow());
        assertEquals(0, dashboard.impact(Api.newMember().id()).lookups(), "another member's impact is their own");
        assertEquals(5, dashboard.impact(b.id()).lookups(), "lookups before b's own report are not b's doing");
    }

    /** Waits until the wall clock's millisecond has moved on, so that what follows is stamped strictly later. */
    private static void nextMillisecond() {
        long now = System.currentTimeMillis();
        try {
            Eventually.await("the clock to move on", java.time.Duration.ofSeconds(1), () -> System.currentTimeMillis() > now + 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void weeklyMailOffersRfc8058OneClickUnsubscribeWithoutCookies() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        assertTrue(weekly.sendTo(m.id(), m.email()));
        Mailbox.Received mail = Mailbox.await(m.email(), "Your TrustBL week");
        assertEquals("List-Unsubscribe=One-Click", mail.message().header("List-Unsubscribe-Post"));
        String header = mail.message().header("List-Unsubscribe");
        String url = header.substring(header.indexOf('<') + 1, header.indexOf('>'));
        String path = url.substring(url.indexOf("/unsubscribe"));
        // what a mail provider's one-click does: a bare POST, no cookies, no CSRF token
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("List-Unsubscribe", "One-Click").post(path.replace("sig=", "sig=x")).then().statusCode(404);
        assertTrue(accounts.weeklyReport(m.id()));
        given().redirects().follow(false).urlEncodingEnabled(false).contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click").post(path).then().statusCode(200);
        assertFalse(accounts.weeklyReport(m.id()), "one click stopped the weekly mail");
    }

    @Test
    void theWeeklyMailGoesOutOncePerWeekEvenWhenTwoInstancesSendAtOnce() throws Exception {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        int n = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Boolean>> sent = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sent.add(pool.submit(() -> {
                    start.await();
                    return weekly.sendTo(m.id(), m.email());
                }));
            }
            start.countDown();
            int yes = 0;
            for (var f : sent) {
                if (f.get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    yes++;
                }
            }
            assertEquals(1, yes, "exactly one sender won the (member, week) row");
        } finally {
            pool.shutdownNow();
        }
        Mailbox.await(m.email(), "Your TrustBL week");
        weekly.sendAll();
        assertTrue(Eventually.holdsFor(java.time.Duration.ofMillis(500), () -> Mailbox.count(m.email()) == 1),
                "one weekly mail, not one per instance or run");
    }
}
