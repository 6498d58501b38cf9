package net.trustbl.member;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import net.trustbl.common.Mailboxes;
import net.trustbl.support.Api;
import net.trustbl.testing.AtOnce;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One mailbox holds one account: tags, Gmail dots and googlemail.com are the same mailbox. */
@QuarkusTest
class OneAccountPerMailboxTest {

    static final String PASSWORD = "long enough password";

    @Inject
    DataSource dataSource;

    private static ValidatableResponse register(String email) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/api/v1/members").then();
    }

    /** As a duplicate email is answered: 409 problem+json naming the field. */
    private static void refused(String email) {
        register(email).statusCode(409).contentType("application/problem+json")
                .body("field", equalTo("email")).body("rule", equalTo("unique"))
                .body("detail", equalTo("a member with this email already exists"));
    }

    private static String unique() {
        return Long.toString(System.nanoTime(), 36);
    }

    @Test
    void aTaggedAddressIsTheUntaggedMailbox() {
        String a = "a" + unique();
        register(a + "@gmail.com").statusCode(201);
        refused(a + "+1@gmail.com");
        refused(a + "+12000@gmail.com");
    }

    @Test
    void gmailDotsAreTheSameMailbox() {
        String u = unique();
        register("ab" + u + "@gmail.com").statusCode(201);
        refused("a.b" + u + "@gmail.com");
        refused("A.B." + u + "@Gmail.com");
    }

    @Test
    void googlemailIsGmail() {
        String u = unique();
        register("ab" + u + "@gmail.com").statusCode(201);
        refused("ab" + u + "@googlemail.com");
    }

    @Test
    void elsewhereDotsAndHyphensAreOtherMailboxes() {
        String u = unique();
        register("first-last" + u + "@example.org").statusCode(201);
        register("firstlast" + u + "@example.org").statusCode(201);
        register("first.last" + u + "@example.org").statusCode(201);
        register("first-last" + u + "@example.net").statusCode(201);
    }

    @Test
    void theAddressIsKeptAsTypedAndLogsInSo() {
        String email = "Fir.St" + unique() + "+Keys@GMAIL.com";
        String stored = email.toLowerCase();
        register(email).statusCode(201);
        // HTTP Basic (the key API's login) with the address as typed, lower-cased as before
        String key = Api.createKey(stored, PASSWORD);
        given().header("Authorization", "Bearer " + key).get("/api/v1/me")
                .then().statusCode(200).body("email", equalTo(stored));
    }

    /** Without the lock on the mailbox, registrations in parallel all pass the check before any commits. */
    @Test
    void parallelRegistrationsOfOneMailboxMakeOneAccount() throws Exception {
        String u = unique();
        List<Integer> answers = AtOnce.run(8, n -> register("par" + u + "+" + n + "@example.org").extract().statusCode());
        assertTrue(answers.stream().allMatch(s -> s == 201 || s == 409), answers.toString());
        assertEquals(1, answers.stream().filter(s -> s == 201).count(), answers.toString());
    }

    /** The migration's SQL function (the backfill of existing rows) and the service agree. */
    @Test
    void theBackfillsSqlRuleIsTheServicesRule() throws Exception {
        List<String> samples = List.of("me@example.org", " Me+1@Example.ORG ", "me+a+b@example.org", "m.e@gmail.com",
                "M.E+x@GoogleMail.com", "me@googlemail.com", "first-last@example.org", "first.last@example.org",
                "j.o.hn@mail.gmail.com", "+tag@example.org", "no-at-sign", "@gmail.com", "a@b@gmail.com",
                "a+b@c@example.org", "x.y+z@sub.example.org");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT mailbox_canonical(?)")) {
            for (String s : samples) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(Mailboxes.canonical(s), rs.getString(1), s);
                }
            }
        }
    }
}
