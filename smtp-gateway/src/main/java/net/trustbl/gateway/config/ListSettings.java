package net.trustbl.gateway.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The list and client-check groups of {@link GatewayConfig}: allow and deny lists, DNSBL, greylisting,
 * traps, recipient policies and the client checks. They live here to keep each file small;
 * GatewayConfig extends this interface, so they keep their names ({@code GatewayConfig.Dnsbl}…) and keys.
 */
public interface ListSettings {

    interface ClientChecks {
        /**
         * What an SPF "fail" does: off, log, tag (Received-SPF and Authentication-Results headers
         * only), defer (451) or reject (550). Every other result only adds the headers (unless off or log).
         */
        @WithDefault("off")
        String spf();

        /** What a client without forward-confirmed reverse DNS meets: off, log, tag, defer (450) or reject (550). */
        @WithDefault("off")
        String fcrdns();

        /** What a HELO name that is not a resolvable host name meets: off, log, tag, defer or reject. */
        @WithName("helo-dns")
        @WithDefault("off")
        String heloDns();

        /** The most one SPF evaluation may take (all its DNS questions); past it the result is temperror. */
        @WithName("spf-timeout")
        @WithDefault("10s")
        Duration spfTimeout();
    }

    interface Lists {
        /** IPs or CIDRs. */
        Optional<List<String>> ips();

        /** HELO names; "*.example.org" matches subdomains. */
        Optional<List<String>> helos();

        /** Envelope sender domains; "*.example.org" matches subdomains. */
        @WithName("sender-domains")
        Optional<List<String>> senderDomains();
    }

    interface Dnsbl {
        /**
         * postscreen syntax: zone[=filter][*weight], comma separated; {@code none} for no list. The
         * default is TrustBL's own allow zone of trusted senders as a DNSWL, weight -2, for the codes
         * that others vouch for: 127.0.10.1 (established members) and 127.0.10.3 (a moderator). A
         * client it vouches for scores at or below {@code gateway.greylist.skip-score} and is not
         * greylisted. 127.0.10.2 ("long clean record": looked up on 7 of the last 63 days) is left
         * out: lookups are no one's word, and anyone can make them for an address of their own (query
         * it twice a day for a week) and so exempt their spam sources from greylisting. A list set
         * here replaces the default: add the allow zone to keep it.
         */
        @WithDefault("wl.trustbl.test=127.0.10.[1;3]*-2")
        String sites();

        /** Score at or above which {@link #action()} applies (postscreen_dnsbl_threshold, inclusive). */
        @WithDefault("1")
        int threshold();

        /** reject, defer, tag or log: what happens at {@link #threshold()}. */
        @WithDefault("reject")
        String action();

        @WithName("defer-threshold")
        Optional<Integer> deferThreshold();

        @WithName("tag-threshold")
        Optional<Integer> tagThreshold();

        /** Prefix put before the Subject of tagged mail (empty = header only). */
        @WithName("tag-subject-prefix")
        @WithDefault("[SPAM]")
        String tagSubjectPrefix();

        /** true = a failed lookup is ignored; false (default, rblsmtpd -c) = 451 4.4.3. */
        @WithName("fail-open")
        @WithDefault("false")
        boolean failOpen();

        /**
         * false (default, like postscreen and rblsmtpd): a listed client gets the 220 greeting and
         * then 550 5.7.1 with the list's TXT at every RCPT, where the sender's MTA reads it (a 5xx
         * greeting is taken as "try the next MX" by Postfix clients). true: a client whose score
         * reaches every policy's reject threshold is refused with a 550 5.7.1 greeting (cheapest).
         */
        @WithName("reject-at-connect")
        @WithDefault("false")
        boolean rejectAtConnect();

        @WithDefault("5s")
        Duration timeout();

        /** Query 127.0.0.2 (must be listed) and 127.0.0.1 (must not) of every zone (RFC 5782). */
        @WithName("probe-interval")
        @WithDefault("10m")
        Duration probeInterval();
    }

    interface Greylist {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("300s")
        Duration delay();

        @WithName("retry-window")
        @WithDefault("2d")
        Duration retryWindow();

        @WithName("max-age")
        @WithDefault("35d")
        Duration maxAge();

        @WithName("auto-allow-after")
        @WithDefault("5")
        int autoAllowAfter();

        @WithName("cleanup-interval")
        @WithDefault("1h")
        Duration cleanupInterval();

        /**
         * Triplets of one client network (/24, /64) that have not passed yet, at most: beyond it a new
         * triplet is deferred like any other but not stored, so a botnet cannot fill the database
         * with one row per recipient it tries; 0 = no limit. Passed triplets do not count.
         */
        @WithName("max-pending-per-network")
        @WithDefault("200")
        int maxPendingPerNetwork();

        /** Skip greylisting for the shipped list of big senders' outbound networks. */
        @WithName("skip-known-senders")
        @WithDefault("true")
        boolean skipKnownSenders();

        /** More networks to skip: one address or CIDR per line, # comments. */
        @WithName("known-senders-file")
        Optional<String> knownSendersFile();

        /**
         * Skip greylisting when the DNSBL/DNSWL score (gateway.dnsbl.sites, negative weights for
         * allow lists) is at or below this: a client a DNSWL vouches for is not delayed.
         */
        @WithName("skip-score")
        @WithDefault("-1")
        int skipScore();
    }

    interface SenderDomain {
        @WithDefault("true")
        boolean enabled();
    }

    interface Traps {
        /** Trap addresses; "*@trap.example.org" patterns allowed. */
        Optional<List<String>> addresses();

        @WithName("retry-interval")
        @WithDefault("10s")
        Duration retryInterval();

        @WithName("max-backoff")
        @WithDefault("1h")
        Duration maxBackoff();

        /** Queued hits older than this are dropped (logged) instead of retried forever. */
        @WithName("max-age")
        @WithDefault("7d")
        Duration maxAge();

        /** How long a client that sent to a trap is refused by this gateway (451 4.7.1); 0 = not at all. */
        @WithName("block-duration")
        @WithDefault("1h")
        Duration blockDuration();
    }

    interface Recipients {
        /** When set, only these recipients (or "*@domain" patterns) are accepted; otherwise the downstream decides at RCPT. */
        Optional<List<String>> accept();

        /** Recipient policies: name → recipient patterns and per-policy DNSBL threshold. */
        Map<String, Policy> policies();
    }

    interface Policy {
        List<String> recipients();

        @WithName("dnsbl-threshold")
        Optional<Integer> dnsblThreshold();

        @WithName("greylist")
        Optional<Boolean> greylist();

        /**
         * Clients (addresses or CIDRs) this policy's recipients receive from even where the rest of
         * the site refuses them: gateway.deny.ips, the DNSBL and greylisting do not apply.
         */
        @WithName("allow-ips")
        Optional<List<String>> allowIps();

        /** Clients refused for this policy's recipients only (550 5.7.1 at RCPT). */
        @WithName("deny-ips")
        Optional<List<String>> denyIps();

        /** Sender domains refused for this policy's recipients only ("*.example.org" allowed). */
        @WithName("deny-sender-domains")
        Optional<List<String>> denySenderDomains();

        /** Filters (by name) that do not run for this policy's recipients at RCPT and end of data. */
        @WithName("skip-filters")
        Optional<List<String>> skipFilters();
    }
}
