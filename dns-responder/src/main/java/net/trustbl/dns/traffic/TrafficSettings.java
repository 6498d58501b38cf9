package net.trustbl.dns.traffic;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import net.trustbl.dns.config.SettingLookup;

/**
 * How lookups are counted: once per (queried address, client network) per {@code interval}
 * ({@code trustbl.dns.traffic.interval}, default 1 h), at most {@code maxPairs} pairs per interval
 * ({@code trustbl.dns.traffic.max-pairs}, default 500,000; the table takes 16 bytes per pair).
 */
public record TrafficSettings(Duration interval, int maxPairs) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    public static final int DEFAULT_MAX_PAIRS = 500_000;
    private static final int MAX_MAX_PAIRS = 1 << 26;

    public TrafficSettings {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("trustbl.dns.traffic.interval must be positive");
        }
        if (maxPairs < 1 || maxPairs > MAX_MAX_PAIRS) {
            throw new IllegalArgumentException("trustbl.dns.traffic.max-pairs must be 1.." + MAX_MAX_PAIRS);
        }
    }

    public static TrafficSettings defaults() {
        return new TrafficSettings(DEFAULT_INTERVAL, DEFAULT_MAX_PAIRS);
    }

    /** Reads the keys through {@code lookup} (null when unset), falling back to environment variables. */
    public static TrafficSettings fromLookup(Function<String, String> lookup) {
        String interval = SettingLookup.get(lookup, "trustbl.dns.traffic.interval");
        String max = SettingLookup.get(lookup, "trustbl.dns.traffic.max-pairs");
        try {
            return new TrafficSettings(interval == null ? DEFAULT_INTERVAL : duration(interval),
                    max == null ? DEFAULT_MAX_PAIRS : Integer.parseInt(max));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trustbl.dns.traffic.max-pairs is not a number: " + max);
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
