package net.trustbl.gateway.reload;

import java.util.List;

/**
 * Settings a reload cannot change: they are read once by the listener, the sessions, the DNS
 * resolver, the stores or the trust-service clients (ports, TLS keystore, thread counts, time
 * limits). A reload logs them as "needs restart" and keeps the values the gateway started with;
 * every other gateway.* key (lists, rules, DNSBL sites, filter settings) takes effect.
 */
public final class RestartKeys {

    /** A key is named exactly or, ending in '.', is a group prefix. */
    static final List<String> KEYS = List.of(
            "gateway.listen", "gateway.downstream", "gateway.mode", "gateway.hostname", "gateway.data-dir",
            "gateway.xforward", "gateway.xclient",
            "gateway.limits.", "gateway.smuggling.", "gateway.tls.", "gateway.dns.", "gateway.tarpit.",
            "gateway.trust-service.", "gateway.intake.", "gateway.dsn.", "gateway.reload.",
            "gateway.sanity.greet-pause",
            "gateway.dnsbl.timeout", "gateway.dnsbl.probe-interval",
            "gateway.greylist.delay", "gateway.greylist.retry-window", "gateway.greylist.max-age",
            "gateway.greylist.auto-allow-after", "gateway.greylist.cleanup-interval",
            "gateway.greylist.max-pending-per-network",
            "gateway.traps.retry-interval", "gateway.traps.max-backoff", "gateway.traps.max-age",
            "gateway.traps.block-duration");

    private RestartKeys() {
    }

    /** Whether this key (maybe with a %profile. prefix) needs a restart to change. */
    public static boolean needsRestart(String key) {
        String k = withoutProfile(key);
        for (String r : KEYS) {
            if (r.endsWith(".") ? k.startsWith(r) : k.equals(r)) {
                return true;
            }
        }
        return false;
    }

    static String withoutProfile(String key) {
        return key.startsWith("%") && key.indexOf('.') > 0 ? key.substring(key.indexOf('.') + 1) : key;
    }
}
