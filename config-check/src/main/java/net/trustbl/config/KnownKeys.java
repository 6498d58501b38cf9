package net.trustbl.config;

import io.smallrye.config.ConfigMappings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration keys an application knows. They are taken from its {@code @ConfigMapping}
 * interfaces (SmallRye lists every property a mapping declares, with {@code *} for a map's key
 * and {@code [*]} for a list index), so a key is declared once, in the interface, and the check
 * follows the interfaces without a hand-kept list.
 */
public final class KnownKeys {

    private final List<String> names = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();

    /** The keys declared by these {@code @ConfigMapping} interfaces (each with its own prefix). */
    public static KnownKeys fromMappings(Class<?>... mappings) {
        KnownKeys known = new KnownKeys();
        for (Class<?> mapping : mappings) {
            known.add(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping)).keySet());
        }
        return known;
    }

    /** Adds keys (or patterns with {@code *} and {@code [*]}) that are read without a mapping. */
    public KnownKeys add(Collection<String> keys) {
        for (String key : keys) {
            if (!names.contains(key)) {
                names.add(key);
                patterns.add(pattern(key));
            }
        }
        return this;
    }

    public List<String> names() {
        return Collections.unmodifiableList(names);
    }

    public boolean knows(String key) {
        for (Pattern p : patterns) {
            if (p.matcher(key).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The known key closest to a misspelled one (edit distance), when it is close enough to be
     * a plausible typo: at most a third of the key's length away.
     */
    public Optional<String> nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int d = distance(key, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    /** {@code a.*.b[*]}: {@code *} stands for one key segment (maybe quoted), {@code [*]} for an index, {@code -} also for a dot. */
    private static Pattern pattern(String key) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            if (key.startsWith("[*]", i)) {
                regex.append("\\[\\d+\\]");
                i += 2;
            } else if (key.charAt(i) == '*') {
                regex.append("(?:\"[^\"]*\"|[^.\\[]+)");
            } else if (key.charAt(i) == '-') {
                // an environment variable (GATEWAY_LIMITS_MAX_CONNECTIONS) reaches the check with
                // dots for its underscores: gateway.limits.max.connections is that key too
                regex.append("[-.]");
            } else {
                regex.append(Pattern.quote(String.valueOf(key.charAt(i))));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Levenshtein distance (insert, delete, replace one character each cost 1). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
