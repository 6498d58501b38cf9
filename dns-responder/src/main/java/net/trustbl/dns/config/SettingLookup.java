package net.trustbl.dns.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * How the responder reads one setting, written once for every reader ({@link DnsConfig},
 * {@code TrafficSettings}, the standalone options): the key through the given lookup (a system
 * property, Quarkus config, a command line option…), else the environment variable of the same
 * name (upper case, '.' and '-' become '_': {@code trustbl.dns.bind} is {@code TRUSTBL_DNS_BIND}).
 * A blank value counts as unset; a value is trimmed.
 */
public final class SettingLookup {

    private SettingLookup() {
    }

    /** The value of {@code key}, or null when neither the lookup nor the environment sets it. */
    public static String get(Function<String, String> lookup, String key) {
        String v = lookup.apply(key);
        if (v == null) {
            v = System.getenv(envName(key));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The environment variable that stands for {@code key}: {@code trustbl.dns.max-udp-size} is {@code TRUSTBL_DNS_MAX_UDP_SIZE}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
