package net.trustbl.dns.standalone;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.config.SettingLookup;
import net.trustbl.dns.traffic.TrafficSettings;
import org.xbill.DNS.TSIG;

/**
 * Everything the standalone responder is told, read and checked in one place (for starting and
 * for {@code --check-config}). Each value comes from the command line, else the system property
 * {@code trustbl.dns.<key>}, else the environment variable {@code TRUSTBL_DNS_<KEY>}.
 *
 * @throws IllegalArgumentException (from {@link #from}) naming what is wrong
 */
record StandaloneSettings(DnsConfig config, List<Path> files, InetSocketAddress primary, TSIG tsig,
        String trafficUrl, String trafficKey, Duration trafficEvery, TrafficSettings traffic, List<Path> allowFiles,
        long maxTransferRecords) {

    static final String ENV_PREFIX = SettingLookup.envName(StandaloneOptions.PREFIX);
    /** Read by the launcher (dns-responder/bin/trustbl-dns), not by the responder. */
    static final List<String> LAUNCHER_ENV = List.of("TRUSTBL_DNS_JAR", "TRUSTBL_DNS_HEAP", "TRUSTBL_DNS_REPLICA_HEAP",
            "TRUSTBL_DNS_CDS", "TRUSTBL_DNS_CDS_DIR", "TRUSTBL_DNS_JAVA_OPTS", "TRUSTBL_DNS_DRY_RUN");

    static StandaloneSettings from(Function<String, String> lookup) {
        DnsConfig config = DnsConfig.fromLookup(lookup);
        String fileList = get(lookup, "rbldnsd-file");
        String primaryText = get(lookup, "primary");
        if (fileList != null && primaryText != null) {
            throw new IllegalArgumentException("give --rbldnsd-file or --primary, not both");
        }
        List<Path> files = readable(fileList);
        // the allow zone's data when the list comes from files (with a primary it is transferred)
        List<Path> allowFiles = readable(get(lookup, "allow-rbldnsd-file"));
        if (!allowFiles.isEmpty() && primaryText != null) {
            throw new IllegalArgumentException("--allow-rbldnsd-file goes with --rbldnsd-file: a replica transfers the allow zone");
        }
        InetSocketAddress primary = primaryText == null ? null : hostPort("primary", primaryText, 53);
        String tsigSpec = get(lookup, "tsig");
        TSIG tsig = tsigSpec == null ? null : Main.parseTsig(tsigSpec);
        long maxTransferRecords = positive("max-transfer-records", get(lookup, "max-transfer-records"),
                ZoneFollower.DEFAULT_MAX_TRANSFER_RECORDS);
        if (config.metricsBind() != null) {
            hostPort("metrics.bind", config.metricsBind(), 9153);
        }
        String trafficUrl = get(lookup, "traffic-url");
        String trafficKey = get(lookup, "traffic-key");
        if ((trafficUrl == null) != (trafficKey == null)) {
            throw new IllegalArgumentException("--traffic-url and --traffic-key go together");
        }
        String every = get(lookup, "traffic-interval");
        Duration trafficEvery = every == null ? Duration.ofSeconds(60) : TrafficSettings.duration(every);
        TrafficSettings traffic = TrafficSettings.fromLookup(lookup);
        return new StandaloneSettings(config, files, primary, tsig, trafficUrl, trafficKey, trafficEvery, traffic, allowFiles,
                maxTransferRecords);
    }

    private static long positive(String option, String text, long defaultValue) {
        if (text == null) {
            return defaultValue;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + option + ": not a positive number: " + text);
    }

    private static List<Path> readable(String fileList) {
        List<Path> files = fileList == null ? List.of() : Main.paths(fileList);
        for (Path p : files) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("rbldnsd file not readable: " + p);
            }
        }
        return files;
    }

    /** Both modes serve data; neither is a configuration error (every answer would be SERVFAIL). */
    StandaloneSettings requireDataSource() {
        if (files.isEmpty() && primary == null) {
            throw new IllegalArgumentException("needs a data source: --rbldnsd-file FILE[,FILE...] or --primary HOST:PORT");
        }
        return this;
    }

    /**
     * {@code TRUSTBL_DNS_*} environment variables and {@code trustbl.dns.*} system properties that
     * name no option (a typo would otherwise silently run the default).
     */
    static List<String> unknownKeys(Map<String, String> env, Map<Object, Object> systemProperties) {
        List<String> unknown = new ArrayList<>();
        for (String name : env.keySet()) {
            if (name.startsWith(ENV_PREFIX) && !isKnownEnv(name)) {
                unknown.add("environment " + name);
            }
        }
        for (Object k : systemProperties.keySet()) {
            String key = String.valueOf(k);
            if (key.startsWith(StandaloneOptions.PREFIX) && StandaloneOptions.forKey(key) == null) {
                unknown.add("system property " + key);
            }
        }
        return unknown;
    }

    private static boolean isKnownEnv(String name) {
        if (LAUNCHER_ENV.contains(name)) {
            return true;
        }
        for (StandaloneOptions.Option o : StandaloneOptions.ALL) {
            if (envName(o.name()).equals(name)) {
                return true;
            }
        }
        return false;
    }

    static String envName(String option) {
        return SettingLookup.envName(StandaloneOptions.PREFIX + option);
    }

    private static InetSocketAddress hostPort(String what, String text, int defaultPort) {
        try {
            return DnsConfig.hostPort(text, defaultPort);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + what + ": not HOST:PORT: " + text);
        }
    }

    private static String get(Function<String, String> lookup, String option) {
        return SettingLookup.get(lookup, StandaloneOptions.PREFIX + option);
    }
}
