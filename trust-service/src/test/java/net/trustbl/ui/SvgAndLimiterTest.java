package net.trustbl.ui;

import net.trustbl.common.RateLimiter;
import net.trustbl.listing.EvidenceSamples;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain unit tests (no Quarkus): chart escaping and the ask-then-charge limiter. */
class SvgAndLimiterTest {

    @Test
    void chartLabelsAreEscapedAndBarsScale() {
        String svg = Svg.bars("a <b> & \"c\"", List.of(new Svg.Point("<x>", 3), new Svg.Point("y", 6)), "#123456");
        assertTrue(svg.startsWith("<svg"));
        assertFalse(svg.contains("<b>"));
        assertFalse(svg.contains("<x>"));
        assertTrue(svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"));
        assertEquals(2, svg.split("<rect ").length - 1, "one bar per point");
        assertEquals(10, Svg.niceMax(6), 1e-9);
        assertEquals(250, Svg.niceMax(201), 1e-9);
        String line = Svg.line("trust", List.of(), 1.0, "#000");
        assertTrue(line.contains("no history yet"));
    }

    @Test
    void limiterAllowsTheBurstThenMakesWaitWithoutChargingTheQuestion() {
        RateLimiter l = new RateLimiter(1 / 3600.0, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, l.waitSeconds("k"));
            assertEquals(0, l.waitSeconds("k"), "asking does not cost");
            l.charge("k");
        }
        assertTrue(l.waitSeconds("k") > 3000, "about an hour for the next token");
        assertFalse(l.tryAcquire("k"));
        assertTrue(l.tryAcquire("other"), "keys are independent");
    }

    @Test
    void nextParameterStaysOnThisSite() {
        assertEquals("/reports?x=1", Html.safeNext("/reports?x=1", "/d"));
        for (String bad : new String[] {"//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "/a b", "",
                "/reports?x=\"", "/a|b", "/a{b}", "/a\\b", "/a<b", "/a%zz"}) {
            assertEquals("/d", Html.safeNext(bad, "/d"), bad);
        }
    }

    @Test
    void subjectsAreRedacted() {
        assertEquals("Hi …, order … ready", EvidenceSamples.redact("Hi bob.smith@example.org, order 1234567 ready"));
        // the recipient's domain names the reporter's organisation; other spellings of an address go too
        assertEquals("For … and … and … now", EvidenceSamples.redact("For john%40member.example and jürgen@member.example and bob (at) member.example now"));
        assertEquals("Dear …: news", EvidenceSamples.redact("Dear ann＠member.example: news"));
        assertEquals("(no subject)", EvidenceSamples.redact(null));
    }
}
