package net.trustbl.gateway.filter;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File names of a MIME part as a mail client would show them: the {@code filename} and
 * {@code name} parameters of Content-Disposition / Content-Type, with RFC 2047 encoded words
 * decoded ({@code =?utf-8?B?...?=}) and RFC 2231 extended parameters assembled and decoded
 * ({@code filename*=utf-8''x.exe}, continuations {@code filename*0=}, {@code filename*1*=}).
 * Every spelling found is returned, so a blocked name cannot hide behind a harmless one.
 */
final class MimeNames {

    private static final Pattern SECTION = Pattern.compile("(?i)(filename|name)\\*(\\d{1,3})(\\*?)");
    private static final Pattern EXTENDED = Pattern.compile("(?i)(filename|name)\\*");

    private MimeNames() {
    }

    /** The file names in one Content-Type or Content-Disposition header body. */
    static List<String> fileNames(String headerBody) {
        List<NameValuePair> params;
        try {
            params = RawFieldParser.DEFAULT.parseRawBody(new RawField("X", headerBody.replace("\r\n", " "))).getParams();
        } catch (RuntimeException e) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        // param name (filename|name) -> section number -> [value, extended?]
        Map<String, TreeMap<Integer, String[]>> sections = new TreeMap<>();
        for (NameValuePair p : params) {
            String key = p.getName() == null ? "" : p.getName().trim();
            String value = p.getValue() == null ? "" : p.getValue();
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("filename") || lower.equals("name")) {
                names.add(decodeWords(value));
                continue;
            }
            if (EXTENDED.matcher(key).matches()) {
                names.add(decode2231(value, true));
                continue;
            }
            Matcher m = SECTION.matcher(key);
            if (m.matches()) {
                sections.computeIfAbsent(m.group(1).toLowerCase(Locale.ROOT), k -> new TreeMap<>())
                        .put(Integer.parseInt(m.group(2)), new String[] {value, m.group(3)});
            }
        }
        for (TreeMap<Integer, String[]> parts : sections.values()) {
            names.add(assemble(parts));
        }
        names.removeIf(String::isBlank);
        return names;
    }

    /** RFC 2231 section 3/4: sections in order; the first encoded one carries charset'language'. */
    private static String assemble(TreeMap<Integer, String[]> parts) {
        Charset charset = StandardCharsets.UTF_8;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (Map.Entry<Integer, String[]> e : parts.entrySet()) {
            String value = e.getValue()[0];
            boolean encoded = !e.getValue()[1].isEmpty();
            if (encoded && first) {
                int q1 = value.indexOf('\'');
                int q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
                if (q2 > 0) {
                    charset = charset(value.substring(0, q1));
                    value = value.substring(q2 + 1);
                }
            }
            first = false;
            if (encoded) {
                percentDecode(value, bytes);
            } else {
                bytes.writeBytes(value.getBytes(charset));
            }
        }
        return new String(bytes.toByteArray(), charset);
    }

    /** {@code charset'language'percent-encoded} of a single extended parameter. */
    static String decode2231(String value, boolean withCharset) {
        Charset charset = StandardCharsets.UTF_8;
        String v = value;
        if (withCharset) {
            int q1 = v.indexOf('\'');
            int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
            if (q2 > 0) {
                charset = charset(v.substring(0, q1));
                v = v.substring(q2 + 1);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        percentDecode(v, bytes);
        return new String(bytes.toByteArray(), charset);
    }

    private static void percentDecode(String v, ByteArrayOutputStream out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 2 < v.length()
                    && hex(v.charAt(i + 1)) >= 0 && hex(v.charAt(i + 2)) >= 0) {
                out.write(hex(v.charAt(i + 1)) * 16 + hex(v.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static Charset charset(String name) {
        try {
            return name.isBlank() ? StandardCharsets.UTF_8 : Charset.forName(name.trim());
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** RFC 2047 encoded words (also the common, non-conformant quoted use in parameters). */
    static String decodeWords(String s) {
        if (!s.contains("=?")) {
            return s;
        }
        try {
            return DecoderUtil.decodeEncodedWords(s, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return s;
        }
    }
}
