package net.trustbl.gateway.reload;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operator properties file as read for a reload: its values, and the line each key is on, so
 * that a problem can name the line to correct.
 */
public record PropertiesFile(Path path, Map<String, String> values, Map<String, Integer> lineOfKey, List<String> lines) {

    private static final Pattern BAD_UNICODE_ESCAPE = Pattern.compile("\\\\u(?![0-9a-fA-F]{4})");

    /** @throws IllegalArgumentException naming the file and line when it cannot be parsed */
    public static PropertiesFile read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = BAD_UNICODE_ESCAPE.matcher(lines.get(i));
            if (!isComment(lines.get(i)) && m.find()) {
                throw new IllegalArgumentException(path + " line " + (i + 1) + ": malformed \\uXXXX escape");
            }
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return new PropertiesFile(path, values, keyLines(lines), lines);
    }

    private static boolean isComment(String line) {
        String t = line.stripLeading();
        return t.startsWith("#") || t.startsWith("!");
    }

    /** Key → 1-based line; continuation lines (after a line ending in a lone backslash) hold no key. */
    private static Map<String, Integer> keyLines(List<String> lines) {
        Map<String, Integer> at = new HashMap<>();
        boolean continued = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean startsKey = !continued && !line.isBlank() && !isComment(line);
            continued = endsWithLoneBackslash(line);
            if (startsKey) {
                String t = line.stripLeading();
                int end = 0;
                while (end < t.length() && "=: \t".indexOf(t.charAt(end)) < 0) {
                    end += t.charAt(end) == '\\' ? 2 : 1;
                }
                at.put(t.substring(0, Math.min(end, t.length())), i + 1); // the last one is in effect
            }
        }
        return at;
    }

    private static boolean endsWithLoneBackslash(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /**
     * Where a problem is in this file: the line of the key the message names first (a message
     * may go on to suggest another key), else the line of a key whose value holds a token the
     * message quotes.
     */
    public String locate(String problem) {
        Integer best = null;
        int bestAt = Integer.MAX_VALUE;
        int bestLength = 0;
        for (Map.Entry<String, Integer> e : lineOfKey.entrySet()) {
            String key = RestartKeys.withoutProfile(e.getKey());
            int at = problem.indexOf(key);
            // earliest named key; at the same place the longer one ("gateway.deny.ips", not "gateway.deny.ip")
            if (at >= 0 && (at < bestAt || at == bestAt && key.length() > bestLength)) {
                best = e.getValue();
                bestAt = at;
                bestLength = key.length();
            }
        }
        for (String token : best == null ? quotedTokens(problem) : List.<String>of()) {
            for (Map.Entry<String, String> v : values.entrySet()) {
                if (best == null && v.getValue().contains(token) && lineOfKey.containsKey(v.getKey())) {
                    best = lineOfKey.get(v.getKey());
                }
            }
        }
        return best == null ? null : path + " line " + best;
    }

    /** 'x', "x" and the text after the last ": " (as in "bad CIDR: 10.0.0.300/8"). */
    static List<String> quotedTokens(String problem) {
        List<String> tokens = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']+)'|\"([^\"]+)\"").matcher(problem);
        while (m.find()) {
            tokens.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        int colon = problem.lastIndexOf(": ");
        if (colon >= 0 && colon + 2 < problem.length()) {
            tokens.add(problem.substring(colon + 2).trim());
        }
        tokens.removeIf(String::isBlank);
        return tokens;
    }
}
