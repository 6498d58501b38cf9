package net.trustbl.configcheck;

import net.trustbl.common.ReverseDnsConfig;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.config.ConfigProblems;
import net.trustbl.config.KnownKeys;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.traffic.TrafficSettings;
import net.trustbl.journal.ClusterConfig;
import net.trustbl.journal.JournalConfig;
import net.trustbl.mail.MailConfig;
import net.trustbl.responder.DnsHostConfig;
import net.trustbl.ui.WebConfig;
import net.trustbl.watch.WatchConfig;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Every {@code trustbl.*} key the central service reads, for the start-up check that refuses
 * unknown (misspelled) ones. Most come from the {@code @ConfigMapping} interfaces; the DNS
 * responder (a plain-Java library with its own reader) is asked which keys it reads by running
 * its reader over a lookup that records the names. Keys that {@code @Scheduled} expressions read
 * by name are declared (with their defaults) in a mapping too, so none is listed here by hand.
 */
public final class ServiceConfigKeys {

    /** The service's own {@code @ConfigMapping} interfaces; {@code ServiceConfigKeysTest} checks none is missing. */
    static final List<Class<?>> MAPPINGS = List.of(TrustBlConfig.class, WebConfig.class, ClusterConfig.class, MailConfig.class,
            WatchConfig.class, JournalConfig.class, ReverseDnsConfig.class, DnsHostConfig.class);

    private ServiceConfigKeys() {
    }

    public static KnownKeys known() {
        return KnownKeys.fromMappings(MAPPINGS.toArray(Class<?>[]::new))
                .add(dnsResponderKeys());
    }

    /** For {@code --check-config}: unknown keys, values the mappings refuse, and DNS settings the responder refuses. */
    public static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>(ConfigProblems.of(config, "trustbl.", known(), MAPPINGS));
        // each DNS key on its own, so that the message names the key the responder refuses
        for (String key : dnsResponderKeys()) {
            String value = config.getOptionalValue(key, String.class).orElse(null);
            if (value == null) {
                continue;
            }
            Function<String, String> only = k -> k.equals(key) ? value : null;
            try {
                DnsConfig.fromLookup(only);
                TrafficSettings.fromLookup(only);
            } catch (RuntimeException e) {
                problems.add(key + "=" + value + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /** The keys DnsConfig and TrafficSettings ask for, recorded while they read an empty configuration. */
    static Set<String> dnsResponderKeys() {
        Set<String> asked = new LinkedHashSet<>();
        Function<String, String> recording = key -> {
            asked.add(key);
            return null;
        };
        try {
            DnsConfig.fromLookup(recording);
            TrafficSettings.fromLookup(recording);
        } catch (RuntimeException badEnvironmentValue) {
            // they fall back to TRUSTBL_DNS_* variables; a bad one is reported when the responder starts
        }
        return asked;
    }
}
