package net.trustbl.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class MailboxesTest {

    @Test
    void caseAndTagsAreOneMailbox() {
        assertEquals("victim@example.org", Mailboxes.canonical(" Victim+1@Example.ORG "));
        assertEquals("victim@example.org", Mailboxes.canonical("victim+a+b@example.org"), "the tag starts at the first +");
        assertEquals("me@gmail.com", Mailboxes.canonical("me+12000@gmail.com"));
    }

    @Test
    void gmailIgnoresDotsAndGooglemailIsGmail() {
        assertEquals("john@gmail.com", Mailboxes.canonical("j.o.h.n@gmail.com"));
        assertEquals("john@gmail.com", Mailboxes.canonical("jo.hn+x@googlemail.com"));
        assertEquals("john@gmail.com", Mailboxes.canonical("JOHN@GoogleMail.com"));
    }

    @Test
    void elsewhereDotsAndHyphensAreTheirOwnMailboxes() {
        assertEquals("first.last@example.org", Mailboxes.canonical("first.last@example.org"));
        assertEquals("first-last@example.org", Mailboxes.canonical("first-last@example.org"), "- is not a tag");
        assertNotEquals(Mailboxes.canonical("first-last@example.org"), Mailboxes.canonical("firstlast@example.org"));
        assertEquals("j.o.hn@mail.gmail.com", Mailboxes.canonical("j.o.hn@mail.gmail.com"), "only gmail.com itself");
    }

    @Test
    void oddSpellingsAreLeftAlone() {
        assertEquals("+tag@example.org", Mailboxes.canonical("+tag@example.org"), "nothing before the + to keep");
        assertEquals("no-at-sign", Mailboxes.canonical("No-At-Sign"));
        assertEquals("@gmail.com", Mailboxes.canonical("@gmail.com"));
    }
}
