package net.trustbl.configcheck;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code @Scheduled} expression that names a key ({@code "{trustbl.mail.weekly-cron}"}) is
 * expanded when the service starts, and the key's default lives in a {@code @ConfigMapping}
 * (defaults are defined once). Quarkus keeps a mapping, and its defaults, only when some bean
 * injects it: a mapping nobody injects leaves the key unset and the service does not start in
 * production, while the tests (whose profile sets such keys) would not notice. This reads the
 * sources: every key a schedule names must belong to an injected mapping or be set in the
 * shipped {@code application.properties} for every profile.
 */
class ScheduledKeysResolveTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern SCHEDULED = Pattern.compile("@Scheduled\\(([^)]*)\\)");
    private static final Pattern KEY = Pattern.compile("\\$?\\{([a-z0-9.-]+)(:[^}]*)?}");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([a-z0-9.-]+)\"\\)\\s*public interface (\\w+)");

    @Test
    void everyKeyASchedulerNamesHasADefaultAtRunTime() throws IOException {
        Map<String, String> sources = new HashMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.put(f.toString(), Files.readString(f));
            }
        }
        Map<String, String> mappingByPrefix = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (String text : sources.values()) {
            Matcher m = MAPPING.matcher(text);
            while (m.find()) {
                mappingByPrefix.put(m.group(1), m.group(2));
            }
            Matcher s = SCHEDULED.matcher(text);
            while (s.find()) {
                Matcher k = KEY.matcher(s.group(1));
                while (k.find()) {
                    if (k.group(2) == null) { // a fallback after ':' resolves anyway
                        keys.add(k.group(1));
                    }
                }
            }
        }
        assertFalse(keys.isEmpty(), "the scan found the schedules that name keys (e.g. trustbl.mail.weekly-cron)");
        String shipped = Files.readString(Path.of("src/main/resources/application.properties"));
        List<String> unresolved = new ArrayList<>();
        for (String key : keys) {
            if (Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=").matcher(shipped).find()) {
                continue;
            }
            String prefix = mappingByPrefix.keySet().stream().filter(p -> key.startsWith(p + "."))
                    .max((a, b) -> Integer.compare(a.length(), b.length())).orElse(null);
            String mapping = prefix == null ? null : mappingByPrefix.get(prefix);
            if (mapping == null || !injectedSomewhere(mapping, sources)) {
                unresolved.add(key + (mapping == null ? " (no mapping declares it)" : " (its mapping " + mapping + " is injected nowhere)"));
            }
        }
        assertTrue(unresolved.isEmpty(), "keys a @Scheduled expression reads that have no default at run time: " + unresolved);
    }

    private static boolean injectedSomewhere(String mapping, Map<String, String> sources) {
        Pattern field = Pattern.compile("@Inject\\s+(?:[\\w.]+\\.)?" + mapping + "\\s+\\w+\\s*;");
        return sources.values().stream().anyMatch(text -> field.matcher(text).find());
    }
}
