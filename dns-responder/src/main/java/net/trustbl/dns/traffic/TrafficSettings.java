package net.trustbl.dns.traffic;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import net.trustbl.dns.config.SettingLookup;

/**
 * How lookups are counted: once per (queried address, client network) per {@code interval}
 * ({@code trustbl.dns.traffic.interval}, default 1 h), at most {@code maxPairs} pairs per interval
 * ({@code trustbl.dns.traffic.max-pairs}, default 500,000; the table takes 16 bytes per pair), and
 * at most {@code maxPairsPerNetwork} of them from one client network
 * ({@code trustbl.dns.traffic.max-pairs-per-network}, default {@code maxPairs / 64}, at most
 * {@code maxPairs}): one network querying random addresses can then take only its share of the
 * interval's table, not all of it, and the other networks' lookups still count.
 */
public record TrafficSettings(Duration interval, int maxPairs, int maxPairsPerNetwork) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    public static final int DEFAULT_MAX_PAIRS = 500_000;
    /** The default share of one client network: {@code maxPairs / 64}. */
    public static final int DEFAULT_NETWORK_SHARE_DIVISOR = 64;
    private static final int MAX_MAX_PAIRS = 1 << 26;

    /** {@code maxPairsPerNetwork} above {@code maxPairs} means {@code maxPairs} (no cap of its own). */
    public TrafficSettings {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("trustbl.dns.traffic.interval must be positive");
        }
        if (maxPairs < 1 || maxPairs > MAX_MAX_PAIRS) {
            throw new IllegalArgumentException("trustbl.dns.traffic.max-pairs must be 1.." + MAX_MAX_PAIRS);
        }
        if (maxPairsPerNetwork < 1 || maxPairsPerNetwork > MAX_MAX_PAIRS) {
            throw new IllegalArgumentException("trustbl.dns.traffic.max-pairs-per-network must be 1.." + MAX_MAX_PAIRS);
        }
        // checked on its own first, so that the key alone (as --check-config reads it) is judged by its own range
        maxPairsPerNetwork = Math.min(maxPairsPerNetwork, maxPairs);
    }

    /** With the default share per client network ({@link #defaultPairsPerNetwork}). */
    public TrafficSettings(Duration interval, int maxPairs) {
        this(interval, maxPairs, defaultPairsPerNetwork(maxPairs));
    }

    /** {@code maxPairs / 64}, at least 1. */
    public static int defaultPairsPerNetwork(int maxPairs) {
        return Math.max(1, maxPairs / DEFAULT_NETWORK_SHARE_DIVISOR);
    }

    public static TrafficSettings defaults() {
        return new TrafficSettings(DEFAULT_INTERVAL, DEFAULT_MAX_PAIRS);
    }

    /** Reads the keys through {@code lookup} (null when unset), falling back to environment variables. */
    public static TrafficSettings fromLookup(Function<String, String> lookup) {
        String interval = SettingLookup.get(lookup, "trustbl.dns.traffic.interval");
        String max = SettingLookup.get(lookup, "trustbl.dns.traffic.max-pairs");
        String perNetwork = SettingLookup.get(lookup, "trustbl.dns.traffic.max-pairs-per-network");
        int maxPairs = max == null ? DEFAULT_MAX_PAIRS : number("trustbl.dns.traffic.max-pairs", max);
        return new TrafficSettings(interval == null ? DEFAULT_INTERVAL : duration(interval), maxPairs,
                perNetwork == null ? defaultPairsPerNetwork(maxPairs)
                        : number("trustbl.dns.traffic.max-pairs-per-network", perNetwork));
    }

    private static int number(String key, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + text);
        }
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 1h30m} or ISO-8601 ({@code PT1H}). */
    public static Duration duration(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        try {
            return Duration.parse(t.startsWith("P") ? t : "PT" + t);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration (e.g. 60s, 15m, 1h): " + text);
        }
    }
}
