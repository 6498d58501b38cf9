package net.trustbl.responder;

import jakarta.ws.rs.core.EntityTag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The strong ETag of an rbldnsd export. The zone serial changes with every listing change, and
 * the same serial always gives the same lines for the same settings, so format, serial and a
 * hash of the settings that shape the file (SOA/NS/TTL lines, TXT template) identify the bytes.
 * The gzipped body is a different representation and gets its own tag (RFC 9110 8.8.3), but
 * either tag sent back in If-None-Match means "I have this version".
 */
record ExportTag(String base) {

    static ExportTag of(String format, long serial, String settings) {
        return new ExportTag(format + "-" + serial + "-" + shortHash(settings));
    }

    EntityTag value(boolean gzip) {
        return new EntityTag(gzip ? base + "-gz" : base);
    }

    /** If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored; {@code *} matches. */
    boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String t = candidate.trim();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("\"" + base + "\"") || t.equals("\"" + base + "-gz\"")) {
                return true;
            }
        }
        return false;
    }

    /** True when Accept-Encoding names gzip (or {@code *}) without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] fields = part.trim().split(";");
            String coding = fields[0].trim();
            if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) {
                return !refused(fields);
            }
        }
        return false;
    }

    private static boolean refused(String[] fields) {
        for (int i = 1; i < fields.length; i++) {
            String p = fields[i].trim().replace(" ", "");
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2)) <= 0;
                } catch (NumberFormatException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
