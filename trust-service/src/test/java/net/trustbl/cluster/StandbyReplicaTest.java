package net.trustbl.cluster;

import net.trustbl.testing.Eventually;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica that starts while another instance writes the journal: it stands by, forwards writes
 * to the writer, follows the writer's journal into its own lookups, and takes over when the writer
 * goes. The writer is played by {@link OtherWriter} (its lock) plus a small HTTP server (its URL)
 * and rows written straight into {@code engine_event} (its journal).
 */
@QuarkusTest
@TestProfile(StandbyReplicaTest.Standby.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class) // the take-over comes last: this node is then the writer
class StandbyReplicaTest {

    public static class Standby implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // X-Forwarded-For is not trusted here (as in production): the standby itself names the client
            return Map.of("test.other-writer", "true", "trustbl.cluster.poll-interval", "50ms",
                    "trustbl.dns.traffic-interval", "1s", "quarkus.http.proxy.proxy-address-forwarding", "false");
        }
    }

    record Seen(String method, String path, String auth, String forwardedFor, String client, String body) { }

    @Inject
    DataSource dataSource;

    @Inject
    OtherWriter otherWriter;

    @Inject
    ClientAddress clientAddress;

    @Inject
    net.trustbl.journal.EventJournal journal;

    HttpServer writer;

    @AfterEach
    void stopWriter() {
        if (writer != null) {
            writer.stop(0);
        }
    }

    @Test
    void standsByForwardsWritesFollowsTheJournalAndTakesOver() throws Exception {
        health().body("checks.find { it.name == 'journal-role' }.data.role", equalTo("standby"));

        // writes go to the writer, unchanged, and its answer comes back
        BlockingQueue<Seen> seen = new ArrayBlockingQueue<>(10);
        writer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        writer.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("X-Forwarded-For"),
                    ex.getRequestHeaders().getFirst(ClientAddress.HEADER), body));
            byte[] answer = "[{\"id\":4242}]".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(202, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        writer.start();
        sql("UPDATE journal_writer SET url = ?, instance = 'other', since = now() WHERE id = 1",
                "http://127.0.0.1:" + writer.getAddress().getPort());
        awaitTrue(() -> given().get("/q/health/ready").jsonPath()
                .getString("checks.find { it.name == 'journal-role' }.data.writer").startsWith("http://127.0.0.1:"));

        // the client tries to choose the address the writer throttles: X-Forwarded-For and a forged replica header
        given().header("Authorization", "Bearer some-key").contentType(ContentType.JSON)
                .header("X-Forwarded-For", "6.6.6.6")
                .header(ClientAddress.HEADER, "6.6.6.6 " + System.currentTimeMillis() / 1000 + " forged")
                .body("{\"ip\":\"45.1.2.3\",\"verdict\":\"spam\"}")
                .post("/api/v1/reports").then().statusCode(202).body("[0].id", equalTo(4242));
        Seen s = seen.poll(5, TimeUnit.SECONDS);
        assertNotNull(s, "the write reached the writer");
        assertEquals("POST", s.method());
        assertEquals("/api/v1/reports", s.path());
        assertEquals("Bearer some-key", s.auth());
        assertEquals("{\"ip\":\"45.1.2.3\",\"verdict\":\"spam\"}", s.body());
        assertNotNull(s.forwardedFor(), "the client's address goes along");
        // replaced, never appended to: the address this replica saw, and a statement only replicas can sign
        assertTrue(s.forwardedFor().equals("127.0.0.1") || s.forwardedFor().equals("0:0:0:0:0:0:0:1"), s.forwardedFor());
        assertEquals(s.forwardedFor(), clientAddress.verify(s.client(), System.currentTimeMillis() / 1000), s.client());
        // reads stay local: nothing more reached the writer
        given().get("/api/v1/lookup/45.1.2.3").then().statusCode(200).body("listed", equalTo(false));
        assertTrue(seen.isEmpty());

        // what the writer journals shows in this replica's own lookups
        long now = System.currentTimeMillis();
        event(now, "join", 9001L, null, null, null);
        event(now, "join", 9002L, null, null, null);
        event(now, "pin", 9001L, null, null, 0.8);
        event(now, "pin", 9002L, null, null, 0.8);
        event(now, "report", 9001L, 900001L, "45.1.2.3", null);
        event(now, "report", 9002L, 900002L, "45.1.2.3", null);
        awaitTrue(() -> given().get("/api/v1/lookup/45.1.2.3").jsonPath().getBoolean("listed"));

        // this replica's DNS lookup counts are parked for the writer, not dropped
        journal.submit(java.util.List.of(new net.trustbl.journal.JournalEntry.Fact(new net.trustbl.engine.EngineEvent
                .TrafficObserved(net.trustbl.address.IpBlock.parse("45.1.2.5"), 777, 0)))).get(5, TimeUnit.SECONDS);
        assertEquals(1L, count("SELECT count(*) FROM traffic_inbox WHERE ip = '45.1.2.5' AND lookups = 777"));

        // the writer dies: this replica takes over, replays the journal and writes itself
        writer.stop(0);
        writer = null;
        otherWriter.die();
        awaitTrue(() -> "writer".equals(given().get("/q/health/ready").jsonPath()
                .getString("checks.find { it.name == 'journal-role' }.data.role")));
        given().get("/api/v1/lookup/45.1.2.3").then().body("listed", equalTo(true));
        // ... and journals the parked lookup counts as the writer now
        awaitTrue(() -> given().get("/api/v1/lookup/45.1.2.5").jsonPath().getLong("evidence.lookups") == 777L);
        // the drain journals the counts first and deletes its rows after, in its own commit: the
        // lookup can show the counts a moment before the inbox is empty
        awaitTrue(() -> count("SELECT count(*) FROM traffic_inbox") == 0L);
        var member = net.trustbl.support.Api.newMember();
        net.trustbl.support.Api.report(member.key(), "45.1.2.4", "spam").then().statusCode(202);
    }

    @Test
    void aKeyTheWriterRevokedStopsWorkingHereWhenItsNoticeArrivesNotAMinuteLater() throws Exception {
        String key = "standby-revocation-test-key-" + System.nanoTime();
        long memberId;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO member (email, email_canonical, password_hash, query_key, report_alias) "
                     + "VALUES (?, ?, 'x', ?, ?) RETURNING id")) {
            String tag = Long.toString(System.nanoTime(), 36);
            ps.setString(1, "revoked-" + tag + "@example.org");
            ps.setString(2, "revoked-" + tag + "@example.org");
            ps.setString(3, ("q" + tag + "0000000000000000").substring(0, 16));
            ps.setString(4, "alias" + tag);
            var rs = ps.executeQuery();
            rs.next();
            memberId = rs.getLong(1);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO api_key (member_id, label, key_hash, key_prefix) VALUES (?, 'test', ?, 'x')")) {
            ps.setLong(1, memberId);
            ps.setString(2, net.trustbl.common.Secrets.sha256Hex(key));
            ps.executeUpdate();
        }
        given().header("Authorization", "Bearer " + key).get("/api/v1/me").then().statusCode(200); // now cached here

        // the writer revokes it: its row changes, and its directory notifies the replicas
        sql("UPDATE api_key SET revoked_at = now() WHERE key_hash = ?", net.trustbl.common.Secrets.sha256Hex(key));
        given().header("Authorization", "Bearer " + key).get("/api/v1/me").then().statusCode(200); // the cache, before any notice
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_notify('trustbl_view', ?)")) {
            ps.setString(1, Long.toString(memberId));
            ps.execute();
        }
        awaitTrue(() -> given().header("Authorization", "Bearer " + key).get("/api/v1/me").statusCode() == 401);
    }

    @Test
    void onlyASignedRecentStatementOfAReplicaNamesTheClient() {
        long now = System.currentTimeMillis() / 1000;
        String good = clientAddress.sign("203.0.113.5");
        assertEquals("203.0.113.5", clientAddress.verify(good, now));
        assertNull(clientAddress.verify(good.replace("203.0.113.5", "203.0.113.6"), now), "another address, same signature");
        assertNull(clientAddress.verify(good, now + 3600), "an old statement is not replayed");
        assertNull(clientAddress.verify("203.0.113.5 " + now + " AAAA", now));
    }

    private static io.restassured.response.ValidatableResponse health() {
        return given().get("/q/health/ready").then().statusCode(200);
    }

    private void event(long at, String kind, Long member, Long report, String ip, Double trust) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO engine_event (at, kind, member_id, report_id, ip, "
                     + "verdict, strength, trust) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, new Timestamp(at));
            ps.setString(2, kind);
            ps.setObject(3, member);
            ps.setObject(4, report);
            ps.setString(5, ip);
            ps.setString(6, "report".equals(kind) ? "spam" : null);
            ps.setObject(7, "report".equals(kind) ? 1.0 : null);
            ps.setObject(8, trust);
            ps.executeUpdate();
        }
    }

    private long count(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statement, String arg) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, arg);
            ps.executeUpdate();
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check) throws Exception {
        Eventually.awaitAsserted("the replica's view", java.time.Duration.ofSeconds(15), () -> {
            if (!check.ok()) {
                throw new AssertionError("not yet");
            }
        });
    }
}
