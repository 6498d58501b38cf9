package net.trustbl.dns.standalone;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.config.DnsConfig;

/**
 * {@code --check-config}: reads every setting as a start would, loads the data files (reporting
 * rejected lines with their numbers), names unknown {@code TRUSTBL_DNS_*} variables and
 * {@code trustbl.dns.*} properties, prints what would run, and binds nothing.
 */
final class ConfigCheck {

    private ConfigCheck() {
    }

    /** Returns the exit status: 0 when the configuration is valid, 1 when not. */
    static int run(Function<String, String> lookup, Map<String, String> env, Map<Object, Object> systemProperties,
            PrintStream out) {
        List<String> unknown = StandaloneSettings.unknownKeys(env, systemProperties);
        for (String u : unknown) {
            out.println("config error: unknown setting: " + u);
        }
        StandaloneSettings s;
        try {
            s = StandaloneSettings.from(lookup).requireDataSource();
        } catch (IllegalArgumentException e) {
            out.println("config error: " + e.getMessage());
            return 1;
        }
        DnsConfig c = s.config();
        out.println("zones: " + String.join(", ", c.zones()));
        out.println("bind: " + c.bindHost() + ":" + c.bindPort() + " (udp+tcp)");
        out.println("rate limit: " + (c.rrlResponsesPerSecond() == 0 ? "off" : c.rrlResponsesPerSecond() + " responses/s per client network"));
        out.println("metrics and /ready: " + (c.metricsBind() == null ? "off" : c.metricsBind()));
        out.println("fail closed: SERVFAIL without data and after " + c.soaExpire() + " s (SOA expire) without a refresh");
        if (s.primary() != null) {
            out.println("data: replica of " + s.primary().getHostString() + ":" + s.primary().getPort()
                    + (s.tsig() == null ? " (transfers unsigned)" : " (transfers and NOTIFY signed with TSIG)")
                    + ", at most " + s.maxTransferRecords() + " records per transfer");
        }
        boolean filesOk = true;
        for (Path p : concat(s.files(), s.allowFiles())) {
            filesOk &= checkFile(p, out);
        }
        out.println("lookup counts: " + (s.trafficUrl() == null ? "off" : "to " + s.trafficUrl() + " every " + s.trafficEvery()));
        boolean ok = unknown.isEmpty() && filesOk;
        out.println(ok ? "config OK" : "config has errors");
        return ok ? 0 : 1;
    }

    private static boolean checkFile(Path p, PrintStream out) {
        try {
            RbldnsdFile.Stats st = RbldnsdFile.load(p, new IndexBuilder());
            out.println("data: " + p + ": " + st.lines() + " lines, " + st.entries() + " entries, " + st.skipped()
                    + " rejected lines (skipped when serving)");
            for (String r : st.rejected()) {
                out.println("  rejected " + r);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            out.println("config error: cannot read " + p + ": " + e.getMessage());
            return false;
        }
    }

    private static java.util.List<Path> concat(java.util.List<Path> a, java.util.List<Path> b) {
        java.util.List<Path> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
