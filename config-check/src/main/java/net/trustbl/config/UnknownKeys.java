package net.trustbl.config;

import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds configuration keys under an application's own prefix that nothing reads: a misspelled
 * key would otherwise run silently on the default. Runs in the launchers before anything starts,
 * so the operator gets one line per key instead of a stack trace or a service on the wrong value.
 *
 * <p>Only dotted names are checked (system properties, application.properties, config files).
 * Environment variables are not: Kubernetes injects {@code <SERVICE>_PORT…} variables for every
 * Service into every pod, so {@code TRUSTBL_*} names that are nobody's key are normal there.
 */
public final class UnknownKeys {

    /** Exit status of a launcher refused for its configuration (2: the caller's mistake, as for a bad option). */
    public static final int EXIT_STATUS = 2;

    private UnknownKeys() {
    }

    /** One message per unknown key under {@code prefix} (e.g. "trustbl."), sorted. */
    public static List<String> problems(Iterable<String> propertyNames, String prefix, KnownKeys known) {
        TreeSet<String> unknown = new TreeSet<>();
        for (String name : propertyNames) {
            if (name.startsWith(prefix) && !known.knows(name)) {
                unknown.add(name);
            }
        }
        List<String> messages = new ArrayList<>();
        for (String name : unknown) {
            messages.add("unknown configuration key " + name
                    + known.nearest(name).map(n -> " (did you mean " + n + "?)").orElse(" (no similar key exists)"));
        }
        return messages;
    }

    public static List<String> problems(Config config, String prefix, KnownKeys known) {
        return problems(config.getPropertyNames(), prefix, known);
    }

    /**
     * For launchers: prints each problem on standard error and ends the JVM with
     * {@link #EXIT_STATUS} when there is one.
     */
    public static void exitOnUnknown(Config config, String prefix, KnownKeys known) {
        List<String> problems = problems(config, prefix, known);
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);
            System.err.println("start-up refused: fix or remove the key(s) above");
            System.exit(EXIT_STATUS);
        }
    }
}
