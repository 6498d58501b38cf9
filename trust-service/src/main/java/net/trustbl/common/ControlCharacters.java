package net.trustbl.common;

import java.util.Locale;
import java.util.Set;

/**
 * The one rule for control characters in text that clients send (JSON bodies, form fields, query
 * parameters). PostgreSQL refuses NUL in text outright, so one such character used to fail a whole
 * journal batch; the rest of C0 and DEL have no business in names, notes or rules either and
 * only hide what a text says. Multi-line fields (a note, a message, a list one item per line)
 * may hold tab, CR and LF; every other field is single-line and holds no C0 character at all.
 */
public final class ControlCharacters {

    /** The rule name in a problem's {@code rule} member. */
    public static final String RULE = "control-character";

    /**
     * Fields whose text may span lines: the report note, pasted messages and delisting texts, and
     * the web forms' one-item-per-line lists (JSON sends those lists as arrays of single lines).
     */
    private static final Set<String> MULTI_LINE = Set.of("note", "message", "ips", "allow", "deny", "hosts");

    private ControlCharacters() {
    }

    /** Whether {@code field} is one of the fields that may hold line breaks and tabs. */
    public static boolean isMultiLine(String field) {
        return MULTI_LINE.contains(field);
    }

    /** The first character of {@code value} that {@code field} may not hold, or -1 when there is none. */
    public static int firstForbidden(String field, String value) {
        if (value == null) {
            return -1;
        }
        boolean multiLine = isMultiLine(field);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0x7F || (c < 0x20 && !(multiLine && (c == '\t' || c == '\r' || c == '\n')))) {
                return c;
            }
        }
        return -1;
    }

    /** 422 naming {@code field} when {@code value} holds a character the field may not hold. */
    public static void check(String field, String value) {
        int c = firstForbidden(field, value);
        if (c >= 0) {
            throw violation(field, c, null);
        }
    }

    /**
     * The problem for {@code field}: detail "note: control character U+0000 not allowed", with
     * {@code field} and {@code rule} set; {@code index} is the item's position when the body is an
     * array (a batch), else null.
     */
    public static ProblemException violation(String field, int c, Integer index) {
        String detail = field + ": control character " + codePoint(c) + " not allowed";
        return index == null ? ProblemException.invalid(field, RULE, detail)
                : ProblemException.invalidAt(index, field, RULE, "item " + index + ": " + detail);
    }

    /**
     * For text that comes from a reported message rather than from the member (subject, HELO,
     * reverse DNS): every control character but tab becomes U+FFFD. Refusing it instead would
     * let a spammer make its mail unreportable by putting a NUL in its Subject.
     */
    public static String scrub(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder scrubbed = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0x7F || (c < 0x20 && c != '\t')) {
                if (scrubbed == null) {
                    scrubbed = new StringBuilder(value);
                }
                scrubbed.setCharAt(i, '\uFFFD');
            }
        }
        return scrubbed == null ? value : scrubbed.toString();
    }

    private static String codePoint(int c) {
        return String.format(Locale.ROOT, "U+%04X", c);
    }
}
