package net.trustbl.ui;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sign-up form refuses a second account for one mailbox as it refuses a duplicate email. */
@QuarkusTest
class OneMailboxFormTest {

    static final String PASSWORD = "a long enough password";

    private static Response register(String email) {
        return new WebClient().submit("/register", "/register", Map.of("email", email, "password", PASSWORD, "password2", PASSWORD));
    }

    @Test
    void aSecondSpellingOfOneMailboxIsADuplicate() {
        String u = Long.toString(System.nanoTime(), 36);
        Response first = register("ab" + u + "@gmail.com");
        assertEquals(200, first.statusCode(), first.asString());
        assertTrue(first.asString().contains("Check your mail"));

        Response duplicate = register("ab" + u + "@gmail.com");
        assertEquals(409, duplicate.statusCode());
        assertTrue(duplicate.asString().contains("a member with this email already exists"), duplicate.asString());
        for (String other : new String[]{"a.b" + u + "@gmail.com", "ab" + u + "+farm@gmail.com", "ab" + u + "@googlemail.com"}) {
            Response r = register(other);
            assertEquals(409, r.statusCode(), other);
            assertTrue(r.asString().contains("a member with this email already exists"), other);
        }
        assertEquals(200, register("a-b" + u + "@example.org").statusCode());
        assertEquals(200, register("ab" + u + "@example.org").statusCode());
    }
}
