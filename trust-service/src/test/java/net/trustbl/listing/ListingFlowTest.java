package net.trustbl.listing;

import io.quarkus.test.junit.QuarkusTest;
import net.trustbl.support.LoadScaledBound;
import jakarta.inject.Inject;
import net.trustbl.journal.EventJournal;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ListingFlowTest {

    @Inject
    EventJournal journal;

    @Inject
    ListingFeed feed;

    @Test
    void twoTrustedReportersListAnAddressWithinOneSecondOfTheSecondReport() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.6);
        Api.pinTrust(b.id(), 0.6);
        String ip = Api.freshIp();
        long serialBefore = feed.serial();

        Api.report(a.key(), ip, "spam").then().statusCode(202);
        given().get("/api/v1/lookup/" + ip).then().statusCode(200).body("listed", equalTo(false));
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        long acknowledged = System.nanoTime();

        given().get("/api/v1/lookup/" + ip).then().statusCode(200)
                .body("ip", equalTo(ip))
                .body("listed", equalTo(true))
                .body("returnCode", equalTo("127.0.0.2"))
                .body("score", greaterThanOrEqualTo(1.0f))
                .body("evidence.spamReports", equalTo(2))
                .body("listedSince", notNullValue())
                .body("expiresAt", notNullValue());
        long millis = (System.nanoTime() - acknowledged) / 1_000_000;
        long bound = LoadScaledBound.millis(1000);
        assertTrue(millis < bound, LoadScaledBound.describe("listing visible", millis, bound));
        assertTrue(feed.serial() > serialBefore, "the listing went out on the feed");
        assertTrue(feed.snapshot().listings().stream().anyMatch(e -> e.ip().toString().equals(ip)));
    }

    @Test
    void rfc5782TestPoints() {
        given().get("/api/v1/lookup/127.0.0.2").then().statusCode(200)
                .body("listed", equalTo(true)).body("returnCode", equalTo("127.0.0.2"));
        given().get("/api/v1/lookup/127.0.0.1").then().statusCode(200)
                .body("listed", equalTo(false)).body("returnCode", nullValue());
        given().get("/api/v1/lookup/not-an-ip").then().statusCode(422).body("field", equalTo("ip"));
    }

    @Test
    void replayingTheJournalRebuildsTheSameListings() {
        Api.Member a = Api.newMember();
        Api.Member b = Api.newMember();
        Api.pinTrust(a.id(), 0.7);
        Api.pinTrust(b.id(), 0.7);
        String ip = Api.freshIp();
        Api.report(a.key(), ip, "spam").then().statusCode(202);
        Api.report(b.key(), ip, "spam").then().statusCode(202);
        var before = feed.snapshot().listings().stream().map(e -> e.ip() + "=" + e.returnCode()).sorted().toList();
        long serialBefore = feed.serial();

        journal.rebuildFromJournal();

        var after = feed.snapshot().listings().stream().map(e -> e.ip() + "=" + e.returnCode()).sorted().toList();
        assertEquals(before, after);
        assertTrue(feed.serial() > serialBefore, "the serial never goes back after a rebuild");
        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(true));
    }
}
