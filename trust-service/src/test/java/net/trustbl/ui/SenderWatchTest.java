package net.trustbl.ui;

import net.trustbl.testing.Eventually;
import net.trustbl.member.AccountService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.JournalEntry;
import net.trustbl.support.Api;
import net.trustbl.watch.WatchNotifier;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sender watch: members watch networks over the API and the web, and are mailed when an address inside is listed or delisted. */
@QuarkusTest
class SenderWatchTest {

    @Inject
    AccountService accounts;

    @Inject
    WatchNotifier notifier;

    @Inject
    EventJournal journal;

    static Response addWatch(String key, String network) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("network", network, "label", "outbound")).post("/api/v1/watches");
    }

    static String slash24(String ip) {
        return ip.substring(0, ip.lastIndexOf('.')) + ".0/24";
    }

    /** Runs the notifier until a new mail to {@code email} with {@code subject} arrives (bounded). */
    Mailbox.Received notifiedOf(String email, String subject) {
        Mailbox.Received[] mail = {null};
        try {
            // the listing change is recorded just after the report's answer: run the notifier again until it is mailed
            Eventually.await("a sender-watch mail to " + email + " about " + subject, java.time.Duration.ofSeconds(10), () -> {
                notifier.runOnce();
                return (mail[0] = Mailbox.newest(email, subject)) != null;
            });
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return mail[0];
    }

    @Test
    void aListingInsideAWatchedNetworkIsMailedOnceAndSoIsItsDelisting() {
        Api.Member owner = Api.newMember();
        String ip = Api.freshIp();
        addWatch(owner.key(), slash24(ip)).then().statusCode(403).body("detail", containsString("confirm"));
        accounts.confirmEmail(owner.id());
        addWatch(owner.key(), ip.substring(0, ip.lastIndexOf('.')) + ".77/24").then().statusCode(201)
                .body("network", equalTo(slash24(ip)));
        addWatch(owner.key(), slash24(ip)).then().statusCode(409);
        given().header("Authorization", "Bearer " + owner.key()).get("/api/v1/watches").then().statusCode(200)
                .body("watches.network", hasItem(slash24(ip)));

        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true));

        Mailbox.Received listed = notifiedOf(owner.email(), "TrustBL listed " + ip);
        assertTrue(listed.body().contains("- LISTED " + ip), listed.body());
        assertTrue(listed.body().contains("/lookup/" + ip), listed.body());
        assertTrue(listed.body().contains("/watches"), "the mail says where to stop it");
        int mails = Mailbox.count(owner.email());
        notifier.runOnce();
        notifier.runOnce();
        assertEquals(mails, Mailbox.count(owner.email()), "a change is mailed once");

        journal.submitAndWait(List.of(new JournalEntry.Fact(new EngineEvent.DelistingDecided(IpBlock.parse(ip), true, 0))));
        Mailbox.Received delisted = notifiedOf(owner.email(), "TrustBL delisted " + ip);
        assertTrue(delisted.body().contains("- DELISTED " + ip), delisted.body());
    }

    @Test
    void parallelAddsCannotPassTheWatchLimitTogether() throws Exception {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        int parallel = 40; // twice trustbl.watch.max-per-member (20)
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> codes = new java.util.ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            String network = "203.0." + i + ".0/24";
            codes.add(pool.submit(() -> {
                go.await();
                return addWatch(m.key(), network).statusCode();
            }));
        }
        go.countDown();
        int created = 0;
        for (java.util.concurrent.Future<Integer> f : codes) {
            int code = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            if (code == 201) {
                created++;
            } else {
                assertEquals(422, code);
            }
        }
        pool.shutdown();
        assertEquals(20, created);
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/watches").then()
                .body("watches.size()", equalTo(20));
    }

    @Test
    void watchesAreLimitedToPublicNetworksOfBoundedSize() {
        Api.Member m = Api.newMember();
        accounts.confirmEmail(m.id());
        addWatch(m.key(), "45.0.0.0/8").then().statusCode(422).body("detail", containsString("/16"));
        addWatch(m.key(), "10.1.2.0/24").then().statusCode(422).body("detail", containsString("never lists"));
        addWatch(m.key(), "2001:db8::/16").then().statusCode(422);
        addWatch(m.key(), "not a network").then().statusCode(422);
        given().header("Authorization", "Bearer " + m.key()).contentType(ContentType.JSON).body(Map.of("network", "46.1.0.0/16",
                "label", "x".repeat(101))).post("/api/v1/watches").then().statusCode(422);
        given().get("/api/v1/watches").then().statusCode(401);

        long id = addWatch(m.key(), "46.1.0.0/16").then().statusCode(201).extract().jsonPath().getLong("id");
        Api.Member other = Api.newMember();
        given().header("Authorization", "Bearer " + other.key()).delete("/api/v1/watches/" + id).then().statusCode(404);
        given().header("Authorization", "Bearer " + m.key()).delete("/api/v1/watches/" + id).then().statusCode(204);
        given().header("Authorization", "Bearer " + m.key()).get("/api/v1/watches").then().body("watches", org.hamcrest.Matchers.empty());
    }

    @Test
    void theWebPageAddsListsAndRemovesWatchesWithCsrf() {
        Api.Member m = Api.newMember();
        WebClient web = WebClient.loggedIn(accounts, m);
        assertEquals(403, web.post("/watches", Map.of("csrf", "forged", "network", "47.1.2.0/24")).statusCode());
        Response added = web.submit("/watches", "/watches", Map.of("network", "47.1.2.9/24", "label", "<b>office</b>"));
        assertEquals(200, added.statusCode(), added.asString());
        assertTrue(added.asString().contains("Watching 47.1.2.0/24"));
        assertTrue(added.asString().contains("&lt;b&gt;office&lt;/b&gt;"), "labels are escaped");
        Response bad = web.submit("/watches", "/watches", Map.of("network", "47.0.0.0/8", "label", ""));
        assertEquals(422, bad.statusCode());
        assertTrue(bad.asString().contains("47.0.0.0/8"), "the form keeps what was typed");
        String page = web.get("/watches").asString();
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("action=\"(/watches/\\d+/remove)\"").matcher(page);
        assertTrue(action.find(), page);
        assertEquals(303, web.post(action.group(1), Map.of("csrf", web.csrf("/watches"))).statusCode());
        assertFalse(web.get("/watches").asString().contains("47.1.2.0/24"));
        assertEquals(303, new WebClient().get("/watches").statusCode(), "members only");
    }
}
