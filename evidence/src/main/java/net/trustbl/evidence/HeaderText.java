package net.trustbl.evidence;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.util.ByteSequence;

/** Header values as text: raw 8-bit bytes, RFC 2047 words, dates. Never throws on bad input. */
final class HeaderText {

    /** A header value longer than this is cut: no legitimate Subject or Received needs more. */
    static final int MAX_VALUE_CHARS = 4096;
    /** A Subject is cut to this before decoding (see {@link #decodeSubject}). */
    static final int MAX_SUBJECT_CHARS = 1000;

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** Zone names seen in Received/Date lines that java.time's RFC 5322 parser does not know. */
    private static final Map<String, String> ZONES = Map.ofEntries(
            Map.entry("UT", "+0000"), Map.entry("UTC", "+0000"), Map.entry("Z", "+0000"),
            Map.entry("EST", "-0500"), Map.entry("EDT", "-0400"), Map.entry("CST", "-0600"),
            Map.entry("CDT", "-0500"), Map.entry("MST", "-0700"), Map.entry("MDT", "-0600"),
            Map.entry("PST", "-0800"), Map.entry("PDT", "-0700"), Map.entry("CET", "+0100"),
            Map.entry("CEST", "+0200"));

    private HeaderText() {
    }

    /** The unfolded values of every field of this name, top first, at most {@code max}. */
    static List<String> values(Header header, String name, int max) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        for (Field f : header.getFields(name)) {
            if (out.size() >= max) {
                break;
            }
            out.add(value(f));
        }
        return out;
    }

    /** First value of the field, unfolded, raw (no RFC 2047 decoding); null when absent. */
    static String first(Header header, String name) {
        if (header == null) {
            return null;
        }
        Field f = header.getField(name);
        return f == null ? null : value(f);
    }

    /**
     * The field body from its raw bytes: mime4j reads raw header bytes as ASCII, which turns
     * 8-bit UTF-8 subjects (RFC 6532, and plenty of spam) into garbage. UTF-8 when the bytes
     * are valid UTF-8, windows-1252 otherwise (what mail clients assume for unlabelled 8-bit).
     */
    static String value(Field f) {
        String text;
        ByteSequence raw = f.getRaw();
        if (raw != null) {
            text = decode8bit(raw.toByteArray());
            int colon = text.indexOf(':');
            text = colon >= 0 ? text.substring(colon + 1) : text;
        } else {
            text = f.getBody() == null ? "" : f.getBody();
        }
        return unfold(text);
    }

    static String decode8bit(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, WINDOWS_1252);
        }
    }

    /** Joins folded lines, turns every run of white space into one space, trims, bounds length. */
    static String unfold(String s) {
        int n = Math.min(s.length(), MAX_VALUE_CHARS);
        StringBuilder sb = new StringBuilder(n);
        boolean space = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
                space = true;
                continue;
            }
            if (c < 0x20 || c == 0x7f) {
                continue; // control characters never carry meaning in a header value
            }
            if (space && sb.length() > 0) {
                sb.append(' ');
            }
            space = false;
            sb.append(c);
        }
        return sb.toString();
    }

    /** Decodes RFC 2047 encoded words; undecodable words stay as they are. */
    /**
     * The subject as shown and digested. Cut to {@link #MAX_SUBJECT_CHARS} before decoding:
     * mime4j's encoded-word decoding takes time about quadratic in the length of hostile input
     * ("=?" repeated: 170 ms for 4,096 characters), and only the first 500 characters are stored.
     */
    static String decodeSubject(String value) {
        if (value != null && value.length() > MAX_SUBJECT_CHARS) {
            int end = MAX_SUBJECT_CHARS;
            if (Character.isHighSurrogate(value.charAt(end - 1))) {
                end--; // never half a character
            }
            value = value.substring(0, end);
        }
        return decodeWords(value);
    }

    static String decodeWords(String value) {
        if (value == null) {
            return "";
        }
        try {
            return unfold(DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT));
        } catch (RuntimeException e) {
            return value;
        }
    }

    /**
     * Normalized Message-ID for duplicate detection: the part inside the first angle brackets
     * (or the whole value), without white space, domain part in lower case; null when empty.
     */
    static String normalizeMessageId(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        int lt = v.indexOf('<');
        int gt = lt >= 0 ? v.indexOf('>', lt + 1) : -1;
        if (lt >= 0 && gt > lt) {
            v = v.substring(lt + 1, gt);
        }
        v = v.replaceAll("\\s+", "");
        if (v.isEmpty() || v.length() > 998) {
            return null;
        }
        int at = v.lastIndexOf('@');
        return at < 0 ? v : v.substring(0, at + 1) + v.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** RFC 5322 date (lenient: comments, zone names, missing day name); null when unparseable. */
    static Instant parseDate(String text) {
        if (text == null) {
            return null;
        }
        String s = stripComments(text).trim();
        if (s.isEmpty() || s.length() > 100) {
            return null;
        }
        String[] parts = s.split(" ");
        String last = parts[parts.length - 1].toUpperCase(Locale.ROOT);
        String offset = ZONES.get(last);
        if (offset != null) {
            s = s.substring(0, s.length() - last.length()) + offset;
        } else if (parts.length > 1 && (last.matches("[A-Z]{1,5}"))
                && parts[parts.length - 2].matches("[+-]\\d{4}")) {
            s = s.substring(0, s.length() - last.length()).trim(); // "+0100 CET" written without parentheses
        }
        Instant t = tryParse(s);
        if (t == null) {
            // Courier and others write more after the date ("... +0100 id 000A1B2C"): cut after the offset
            Matcher m = OFFSET_THEN_MORE.matcher(s);
            if (m.find()) {
                t = tryParse(m.group(1));
            }
        }
        return t;
    }

    private static final Pattern OFFSET_THEN_MORE =
            Pattern.compile("^(.{10,60}?\\d:\\d\\d(?::\\d\\d)? [+-]\\d{4}) ");

    private static Instant tryParse(String s) {
        try {
            return Instant.from(DateTimeFieldLenientImpl.RFC_5322.parse(s));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** Removes (comments), nested ones too; an unclosed comment runs to the end. */
    static String stripComments(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        forEachOutsideComments(s, i -> sb.append(s.charAt(i)));
        return unfold(sb.toString());
    }

    /**
     * Calls {@code at} with the index of each character outside (comments), nested ones too; a
     * quoted-pair (backslash) inside a comment hides the next character, so "(a \) b)" is one comment.
     */
    static void forEachOutsideComments(String s, java.util.function.IntConsumer at) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && depth > 0) {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                at.accept(i);
            }
        }
    }
}
