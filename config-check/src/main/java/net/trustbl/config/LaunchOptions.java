package net.trustbl.config;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * The command line every launcher shares: {@code --help} prints its usage, {@code --check-config}
 * validates the configuration and exits (0 valid, 2 not), anything else is refused with one line
 * and exit status 2. Configuration itself stays in {@code -D} keys, environment variables and
 * properties files, as for any Quarkus application.
 */
public final class LaunchOptions {

    /** Returned by {@link #decide} when the application should start. */
    public static final int START = -1;

    private LaunchOptions() {
    }

    /** Handles the arguments; returns when the application should start, otherwise ends the JVM. */
    public static void handle(String[] args, String usage, Supplier<List<String>> configProblems) {
        int status = decide(args, usage, configProblems, System.out, System.err);
        if (status != START) {
            System.exit(status);
        }
    }

    static int decide(String[] args, String usage, Supplier<List<String>> configProblems, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return START;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(usage.endsWith("\n") ? usage : usage + "\n");
            return 0;
        }
        if (args.length == 1 && args[0].equals("--check-config")) {
            List<String> problems = configProblems.get();
            problems.forEach(err::println);
            out.println(problems.isEmpty() ? "configuration OK" : problems.size() + " configuration problem(s)");
            return problems.isEmpty() ? 0 : UnknownKeys.EXIT_STATUS;
        }
        String first = args[0].equals("--help") || args[0].equals("--check-config") ? args[1] : args[0];
        err.println("unknown option " + first + " (--help lists the options)");
        return UnknownKeys.EXIT_STATUS;
    }
}
