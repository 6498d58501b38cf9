package net.trustbl.gateway.filter;

import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.greylist.GreylistStore;
import net.trustbl.gateway.support.FilterFixture;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static net.trustbl.gateway.support.FilterCalls.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Greylisting at RCPT against the real store (PostgreSQL, the gateway's migrations). Each test uses
 * its own client network, so the triplets of one test never meet another's. Which clients are
 * spared is in GreylistSparesGoodSendersTest.
 */
class GreylistFilterTest {

    @RegisterExtension
    static final FilterFixture env = FilterFixture.withDatabase();

    static GreylistFilter filter(String... keyValues) {
        GatewayConfig c = env.config(keyValues);
        return new GreylistFilter(env.vertx(), new GreylistStore(env.db().dataSource(), c), c);
    }

    static Verdict rcpt(GreylistFilter f, String ip, String from, String rcpt) throws Exception {
        Transaction tx = client(ip);
        tx.mailFrom = from;
        tx.rcpt = rcpt;
        return env.run(f, Stage.RCPT, tx);
    }

    /** The seconds a greylisting deferral asks the sender to wait (and that it is one). */
    static long waitOf(Verdict v) {
        assertEquals(Verdict.Kind.TEMPFAIL, v.kind(), v.toString());
        assertEquals(451, v.code());
        assertEquals("4.7.1", v.status());
        Matcher m = Pattern.compile("Greylisted, please try again in (\\d+) seconds").matcher(v.text());
        assertTrue(m.matches(), v.text());
        return Long.parseLong(m.group(1));
    }

    @Test
    void aNewTripletIsDeferredForTheDelayAndAnEarlyRetryStillWaits() throws Exception {
        GreylistFilter f = filter("gateway.greylist.delay", "300s");
        assertEquals(Verdict.tempfail(451, "4.7.1", "Greylisted, please try again in 300 seconds"),
                rcpt(f, "198.51.100.7", "prvs=1234abcd56=alice@example.org", "bob@example.net"));
        long wait = waitOf(rcpt(f, "198.51.100.8", "prvs=9999aaaa00=Alice@Example.org", "BOB@example.net"));
        assertTrue(wait >= 1 && wait <= 300, "the same /24, sender and recipient: the first delay runs on, " + wait);
        assertEquals(1, env.db().count("greylist_triplet", "client_net = ?", "198.51.100.0/24"),
                "a new bounce tag or another address of the same /24 is the same triplet");
    }

    @Test
    void aRetryAfterTheDelayPassesAndEnoughPassesLetTheClientThroughDirectly() throws Exception {
        GreylistFilter f = filter("gateway.greylist.delay", "0s", "gateway.greylist.auto-allow-after", "1");
        assertEquals(1, waitOf(rcpt(f, "203.0.113.5", "alice@example.org", "bob@example.net")), "always at least a second");
        assertEquals(Verdict.CONTINUE, rcpt(f, "203.0.113.5", "alice@example.org", "bob@example.net"), "retried after the delay");
        assertEquals(Verdict.CONTINUE, rcpt(f, "203.0.113.6", "carol@other.example", "dave@example.net"),
                "one pass is enough here: the client's network is no longer greylisted, even for a new triplet");
        assertEquals(1, env.db().count("greylist_triplet", "client_net = ?", "203.0.113.0/24"), "the auto-allowed client leaves no new triplet");
    }

    @Test
    void repeatingOnePassedTripletCountsAsOnePassNotAsAutoAllow() throws Exception {
        GreylistFilter f = filter("gateway.greylist.delay", "0s", "gateway.greylist.auto-allow-after", "2");
        // one bot: one greylisting delay, then the same RCPT again and again in one session
        waitOf(rcpt(f, "203.0.114.5", "a@x.example", "any@example.net"));
        for (int i = 0; i < 6; i++) {
            assertEquals(Verdict.CONTINUE, rcpt(f, "203.0.114.5", "a@x.example", "any@example.net"), "the triplet has passed");
        }
        assertEquals(1, env.db().count("greylist_client", "client_net = ? AND passes = 1", "203.0.114.0/24"),
                "one triplet, one pass within its retry window");
        waitOf(rcpt(f, "203.0.114.9", "b@y.example", "other@example.net"));
        // a second, different triplet passing is what auto-allows the network
        assertEquals(Verdict.CONTINUE, rcpt(f, "203.0.114.9", "b@y.example", "other@example.net"));
        assertEquals(Verdict.CONTINUE, rcpt(f, "203.0.114.10", "c@z.example", "third@example.net"),
                "two different triplets passed: auto-allowed");
    }

    @Test
    void aPassedTripletCountsAgainAfterItsRetryWindow() throws Exception {
        GreylistFilter f = filter("gateway.greylist.delay", "0s", "gateway.greylist.retry-window", "1s",
                "gateway.greylist.auto-allow-after", "2");
        waitOf(rcpt(f, "203.0.115.5", "a@x.example", "any@example.net"));
        assertEquals(Verdict.CONTINUE, rcpt(f, "203.0.115.5", "a@x.example", "any@example.net"));
        assertEquals(Verdict.CONTINUE, rcpt(f, "203.0.115.5", "a@x.example", "any@example.net"));
        assertEquals(1, env.db().count("greylist_client", "client_net = ? AND passes = 1", "203.0.115.0/24"));
        Thread.sleep(1_100);
        assertEquals(Verdict.CONTINUE, rcpt(f, "203.0.115.5", "a@x.example", "any@example.net"));
        assertEquals(1, env.db().count("greylist_client", "client_net = ? AND passes = 2", "203.0.115.0/24"),
                "a correspondent that keeps writing counts once per retry window");
    }

    @Test
    void oneNetworkKeepsAtMostTheCapOfPendingTripletsAndAnotherNetworkIsGreylistedAsUsual() throws Exception {
        GreylistFilter f = filter("gateway.greylist.delay", "0s"); // max-pending-per-network: the default, 200
        for (int i = 0; i < 300; i++) {
            // a botnet in one /24: every RCPT a new recipient, from changing addresses of the network
            waitOf(rcpt(f, "198.51.101." + (i % 250 + 1), "bot@spam.example", "guess" + i + "@example.net"));
        }
        assertEquals(200, env.db().count("greylist_triplet", "client_net = ? AND NOT passed", "198.51.101.0/24"),
                "300 recipients tried, the cap of 200 pending triplets stored");
        assertEquals(Verdict.CONTINUE, rcpt(f, "198.51.101.9", "bot@spam.example", "guess0@example.net"),
                "a stored triplet still passes when retried after the delay: the cap holds back only new ones");
        waitOf(rcpt(f, "198.51.101.9", "bot@spam.example", "guess299@example.net"));
        assertEquals(200, env.db().count("greylist_triplet", "client_net = ? AND NOT passed", "198.51.101.0/24"),
                "the pass made room for one new pending triplet, no more");
        waitOf(rcpt(f, "198.51.102.5", "alice@example.org", "bob@example.net"));
        assertEquals(1, env.db().count("greylist_triplet", "client_net = ?", "198.51.102.0/24"),
                "another /24 is greylisted as usual: its triplet is stored");
        assertEquals(Verdict.CONTINUE, rcpt(f, "198.51.102.5", "alice@example.org", "bob@example.net"));
    }

    @Test
    void aRecipientPolicyCanSwitchGreylistingOffAndTheStoreIsNotAsked() throws Exception {
        GreylistFilter f = filter("gateway.recipients.policies.vip.recipients", "ceo@example.net",
                "gateway.recipients.policies.vip.greylist", "false");
        Transaction tx = client("192.0.2.77");
        tx.mailFrom = "alice@example.org";
        tx.rcpt = "ceo@example.net";
        tx.rcptPolicy = "vip";
        assertEquals(Verdict.CONTINUE, env.run(f, Stage.RCPT, tx));
        assertEquals(0, env.db().count("greylist_triplet", "client_net = ?", "192.0.2.0/24"));
        tx.rcptPolicy = "default";
        waitOf(env.run(f, Stage.RCPT, tx));
    }

    @Test
    void switchedOffItDefersNobody() throws Exception {
        assertEquals(Verdict.CONTINUE, rcpt(filter("gateway.greylist.enabled", "false"), "198.18.0.88", "a@example.org", "b@example.net"));
        assertEquals(0, env.db().count("greylist_triplet", "client_net = ?", "198.18.0.0/24"));
    }

    @Test
    void cleanupForgetsTripletsThatNeverPassedWithinTheRetryWindowAndKeepsPassedOnes() throws Exception {
        GatewayConfig c = env.config("gateway.greylist.retry-window", "2d", "gateway.greylist.max-age", "35d");
        try (var conn = env.db().dataSource().getConnection(); var insert = conn.prepareStatement("""
                INSERT INTO greylist_triplet (client_net, sender, recipient, first_seen, last_seen, passed)
                VALUES ('198.51.99.0/24', ?, 'r@example.net', now() - make_interval(days => ?), now() - make_interval(days => ?), ?)""")) {
            Object[][] rows = {{"stale@example.org", 3, 3, false}, {"passed@example.org", 3, 3, true},
                    {"waiting@example.org", 1, 1, false}};
            for (Object[] r : rows) {
                insert.setString(1, (String) r[0]);
                insert.setInt(2, (Integer) r[1]);
                insert.setInt(3, (Integer) r[2]);
                insert.setBoolean(4, (Boolean) r[3]);
                insert.executeUpdate();
            }
        }
        new GreylistStore(env.db().dataSource(), c).cleanup();
        assertEquals(0, env.db().count("greylist_triplet", "client_net = ? AND sender = ?", "198.51.99.0/24", "stale@example.org"),
                "never passed, first seen 3 days ago: a retry would start it over anyway");
        assertEquals(1, env.db().count("greylist_triplet", "client_net = ? AND sender = ?", "198.51.99.0/24", "passed@example.org"),
                "a passed triplet is kept for max-age");
        assertEquals(1, env.db().count("greylist_triplet", "client_net = ? AND sender = ?", "198.51.99.0/24", "waiting@example.org"),
                "still within its retry window");
    }
}
