package net.trustbl.gateway.unit;

import io.vertx.core.buffer.Buffer;
import net.trustbl.gateway.dns.DnsblSite;
import net.trustbl.gateway.filter.Patterns;
import net.trustbl.gateway.protocol.Envelope;
import net.trustbl.gateway.protocol.LineSplitter;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain unit tests of the parsers (no Quarkus). */
class ParsingTest {

    @Test
    void postscreenSiteSyntax() throws Exception {
        List<DnsblSite> sites = DnsblSite.parseList("bl.trustbl.test=127.0.0.[2..4]*2, list.dnswl.test=127.0.[0..255].[1..3]*-2 plain.test");
        assertEquals(3, sites.size());
        DnsblSite bl = sites.get(0);
        assertEquals("bl.trustbl.test", bl.zone());
        assertEquals(2, bl.weight());
        assertTrue(bl.matches("127.0.0.2") && bl.matches("127.0.0.4"));
        assertFalse(bl.matches("127.0.0.5") || bl.matches("127.0.1.2"));
        DnsblSite wl = sites.get(1);
        assertEquals(-2, wl.weight());
        assertTrue(wl.matches("127.0.200.3"));
        assertFalse(wl.matches("127.0.200.4"));
        DnsblSite plain = sites.get(2);
        assertEquals(1, plain.weight());
        assertTrue(plain.matches("127.0.0.10"));
        assertFalse(plain.matches("127.255.255.254"), "error codes are never listings");
        assertTrue(DnsblSite.parse("z.test=127.0.0.[2;5;9..10]").matches("127.0.0.9"));
        assertFalse(DnsblSite.parse("z.test=127.0.0.[2;5;9..10]").matches("127.0.0.3"));
        assertEquals("9.113.0.203.bl.test", DnsblSite.parse("bl.test").queryName(InetAddress.getByName("203.0.113.9")));
        assertTrue(DnsblSite.parse("bl.test").queryName(InetAddress.getByName("2001:db8::1"))
                .startsWith("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test"));
        assertThrows(IllegalArgumentException.class, () -> DnsblSite.parse("bl.test=127.0.[300].1"));
        assertThrows(IllegalArgumentException.class, () -> DnsblSite.parse("bad zone=127.0.0.2"));
    }

    @Test
    void linesEndOnlyAtCrlfAndAreBounded() {
        List<LineSplitter.Line> lines = new ArrayList<>();
        LineSplitter s = new LineSplitter(10, lines::add);
        s.feed(Buffer.buffer("ab\ncd\r"));
        s.feed(Buffer.buffer("\nxy\r\n0123456789ABCDEF\r\nok\r\n"));
        assertEquals("ab\ncd", new String(lines.get(0).bytes()));
        assertEquals("xy", new String(lines.get(1).bytes()));
        assertTrue(lines.get(2).overlong());
        assertEquals("ok", new String(lines.get(3).bytes()));
        assertEquals(4, lines.size());
        s.feed(Buffer.buffer("partial"));
        assertTrue(s.hasPartial());
        s.reset();
        s.feed(Buffer.buffer("\r\n"));
        assertEquals(0, lines.get(4).length(), "reset dropped the plaintext before it");
    }

    @Test
    void envelopeSyntax() {
        assertEquals("a@example.org", Envelope.mailFrom("MAIL FROM:<a@example.org> SIZE=10").address());
        assertEquals("10", Envelope.mailFrom("mail from:<a@example.org> SIZE=10").params().get("SIZE"));
        assertEquals("", Envelope.mailFrom("MAIL FROM:<>").address());
        assertNull(Envelope.rcptTo("RCPT TO:<>"));
        assertNull(Envelope.mailFrom("MAIL FROM:<a@b@c>"));
        assertNull(Envelope.mailFrom("MAIL FROM:<a..b@example.org>"));
        assertEquals("\"john doe\"@example.org", Envelope.rcptTo("RCPT TO:<\"john doe\"@example.org>").address());
        assertEquals("a@[192.0.2.1]", Envelope.rcptTo("RCPT TO:<a@[192.0.2.1]>").address());
        assertTrue(Envelope.fqdnOrLiteral("mx.example.org"));
        assertFalse(Envelope.fqdnOrLiteral("localhost"));
        assertFalse(Envelope.fqdnOrLiteral("192.0.2.1"), "a bare IP must be a literal");
    }

    @Test
    void listPatterns() throws Exception {
        assertTrue(Patterns.Cidr.parse("192.0.2.0/24").contains(InetAddress.getByName("192.0.2.77")));
        assertFalse(Patterns.Cidr.parse("192.0.2.0/25").contains(InetAddress.getByName("192.0.2.200")));
        assertTrue(Patterns.Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8:1::5")));
        assertThrows(IllegalArgumentException.class, () -> Patterns.Cidr.parse("example.org"));
        // the reload console finds the file line by the entry after the last ": "
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Patterns.Cidr.parse(" 10.0.0.300/8"));
        assertTrue(bad.getMessage().endsWith("bad CIDR: 10.0.0.300/8"), bad.getMessage());
        assertTrue(Patterns.domainMatches("*.example.org", "mx.example.org"));
        assertFalse(Patterns.domainMatches("*.example.org", "badexample.org"));
        assertTrue(Patterns.addressMatches("*@traps.test", "X@Traps.Test"));
        assertFalse(Patterns.addressMatches("trap@example.net", "trap2@example.net"));
    }

    @Test
    void aQuotedLocalPartMatchesTheMailboxItNames() {
        // "hr"@x is hr@x (RFC 5321 4.1.2; Postfix delivers both to hr): quoting must not escape a policy or a trap
        assertTrue(Patterns.addressMatches("hr@example.org", "\"hr\"@example.org"));
        assertTrue(Patterns.addressMatches("hr@example.org", "\"H\\R\"@Example.org"), "escapes and case too");
        assertTrue(Patterns.addressMatches("first.last@example.org", "\"first.last\"@example.org"));
        assertTrue(Patterns.addressMatches("\"hr\"@example.org", "hr@example.org"), "a pattern may be written quoted");
        assertFalse(Patterns.addressMatches("hr@example.org", "\"h r\"@example.org"), "not a dot-atom: another mailbox");
        assertFalse(Patterns.addressMatches("hr@example.org", "\"hr.\"@example.org"));
        assertEquals("\"a b\"", net.trustbl.gateway.protocol.Envelope.unquotedLocalPart("\"a b\""));
        assertEquals("hr", new net.trustbl.gateway.filter.RecipientPolicies(java.util.Map.of("hr", java.util.List.of("hr@example.org")))
                .policyOf("\"hr\"@example.org"), "the recipient policy of hr@ applies to \"hr\"@");
    }
}
