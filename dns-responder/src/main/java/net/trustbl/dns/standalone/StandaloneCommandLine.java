package net.trustbl.dns.standalone;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The standalone responder's command line (picocli, declared from {@link StandaloneOptions}): every
 * option is a {@code trustbl.dns.*} key without its prefix. An unknown option or a missing value is
 * a usage error: one line on stderr naming it, exit status 2, no stack trace.
 */
final class StandaloneCommandLine {

    static final String NAME = "trustbl-dns";
    /** Exit status of a usage error (an unknown option, a missing value). */
    static final int USAGE_ERROR = 2;

    private StandaloneCommandLine() {
    }

    /** Thrown for a usage error; its message is the one line to print. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** The options given, as {@code trustbl.dns.<name>} → value ({@code "true"} for a flag). */
    static Map<String, String> parse(String[] args) {
        picocli.CommandLine cl = new picocli.CommandLine(spec());
        ParseResult result;
        try {
            result = cl.parseArgs(args);
        } catch (ParameterException e) {
            throw new UsageException(oneLine(e));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionSpec o : result.matchedOptions()) {
            Object v = o.getValue();
            out.put(StandaloneOptions.PREFIX + o.longestName().substring(2), String.valueOf(v));
        }
        return out;
    }

    private static String oneLine(ParameterException e) {
        String msg = e.getMessage().replace('\n', ' ').trim();
        if (e instanceof UnmatchedArgumentException u) {
            List<String> near = u.getSuggestions();
            if (!near.isEmpty()) {
                msg += " (did you mean " + near.get(0) + "?)";
            }
        }
        return NAME + ": " + msg + "; see " + NAME + " --help";
    }

    static void printHelp(PrintStream out) {
        out.print(new picocli.CommandLine(spec()).getUsageMessage());
    }

    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name(NAME);
        spec.usageMessage()
                .headerHeading("")
                .header("TrustBL DNSBL responder, standalone: answers IP4R/IP6R queries from memory, "
                        + "as a replica of a primary or from rbldnsd files.", "")
                .synopsisHeading("Usage: ")
                .customSynopsis(NAME + " [OPTIONS] (--rbldnsd-file FILE[,FILE...] | --primary HOST:PORT)", "")
                .descriptionHeading("")
                .description(StandaloneOptions.DESCRIPTION)
                .optionListHeading("%nOptions (each is the configuration key trustbl.dns.<option>; also read from "
                        + "-Dtrustbl.dns.<option> and the environment, TRUSTBL_DNS_<OPTION>):%n")
                .footerHeading("%n")
                .footer(StandaloneOptions.FOOTER)
                .width(100)
                .abbreviateSynopsis(true)
                .sortOptions(false);
        for (StandaloneOptions.Option o : StandaloneOptions.ALL) {
            OptionSpec.Builder b = OptionSpec.builder("--" + o.name()).description(o.description());
            if (o.isFlag()) {
                b.arity("0").type(boolean.class);
            } else {
                b.arity("1").type(String.class).paramLabel(o.label());
            }
            spec.addOption(b.build());
        }
        return spec;
    }
}
