package net.trustbl.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlCharactersTest {

    @Test
    void singleLineFieldsHoldNoC0CharacterAndNoDel() {
        assertEquals(-1, ControlCharacters.firstForbidden("label", "a plain label, ünïcode ok"));
        assertEquals(0x00, ControlCharacters.firstForbidden("label", "a\u0000b"));
        assertEquals('\t', ControlCharacters.firstForbidden("label", "a\tb"));
        assertEquals('\n', ControlCharacters.firstForbidden("email", "a\nb"));
        assertEquals(0x7F, ControlCharacters.firstForbidden("label", "a\u007fb"));
        assertEquals(0x1F, ControlCharacters.firstForbidden("category", "\u001f"));
    }

    @Test
    void multiLineFieldsHoldTabCrAndLfButNoOtherControlCharacter() {
        assertEquals(-1, ControlCharacters.firstForbidden("note", "one\r\n\ttwo\nthree"));
        assertEquals(-1, ControlCharacters.firstForbidden("message", "Subject: x\r\n\r\nbody"));
        assertEquals(0x00, ControlCharacters.firstForbidden("note", "one\u0000"));
        assertEquals(0x1B, ControlCharacters.firstForbidden("allow", "1.2.3.4\n\u001b[31m"));
        assertEquals(0x7F, ControlCharacters.firstForbidden("hosts", "mx\u007f"));
    }

    @Test
    void theProblemNamesTheFieldAndTheCharacter() {
        ProblemException e = assertThrows(ProblemException.class, () -> ControlCharacters.check("note", "x\u0000"));
        assertEquals(422, e.status());
        Problem p = e.toProblem();
        assertEquals("note", p.field());
        assertEquals("control-character", p.rule());
        assertEquals("note: control character U+0000 not allowed", p.detail());
        assertEquals(3, ControlCharacters.violation("note", 1, 3).toProblem().index());
    }

    @Test
    void textFromAReportedMessageIsScrubbedNotRefused() {
        assertEquals("Win \uFFFD now\tgo\uFFFD\uFFFD", ControlCharacters.scrub("Win \u0000 now\tgo\r\n"));
        String clean = "nothing to do";
        assertEquals(clean, ControlCharacters.scrub(clean));
        assertEquals(null, ControlCharacters.scrub(null));
    }
}
