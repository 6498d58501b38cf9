package net.trustbl.gateway.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/**
 * The session, connection and service groups of {@link GatewayConfig}: limits, TLS, the error delays,
 * DNS, the trust-service and the intake. They live here to keep each file small; GatewayConfig
 * extends this interface, so they keep their names ({@code GatewayConfig.Limits}…) and their keys.
 */
public interface SessionSettings {

    /**
     * Reloading lists, rules, DNSBL sites and filter settings without a restart (docs/gateway.md,
     * "Reloading"): on a change of a watched file, on SIGHUP and on POST /console/reload.
     */
    interface Reload {
        /** Watch the operator's config files (and the greylist known-senders file) and reload on change. */
        @WithDefault("true")
        boolean watch();

        /** How often the watched files are looked at (their content, not only the time stamp). */
        @WithName("poll-interval")
        @WithDefault("2s")
        Duration pollInterval();

        /** Reload on SIGHUP (as most mail daemons do); false leaves the JVM's default for the signal. */
        @WithDefault("true")
        boolean sighup();
    }

    interface Limits {
        @WithName("max-connections")
        @WithDefault("20000")
        int maxConnections();

        @WithName("max-connections-per-ip")
        @WithDefault("50")
        int maxConnectionsPerIp();

        @WithName("max-recipients")
        @WithDefault("100")
        int maxRecipients();

        /**
         * MAIL commands one session may give whose transaction does not end in a delivered message
         * (421 4.7.0 and the session is closed at the next one); 0 = no limit. Each MAIL runs the
         * MAIL-stage filters, whose DNS questions (sender domain, HELO name, SPF and its macros) are
         * the client's choice, so a session may not ask for them without end; delivered messages
         * do not count, so connection reuse by a busy MTA is never cut off.
         */
        @WithName("max-mail-commands")
        @WithDefault("100")
        int maxMailCommands();

        /** Bytes; advertised in EHLO SIZE and enforced while DATA is read. */
        @WithName("max-message-size")
        @WithDefault("10485760")
        long maxMessageSize();

        /** RFC 5321 4.5.3.2: 5 minutes between commands. */
        @WithName("command-timeout")
        @WithDefault("300s")
        Duration commandTimeout();

        /**
         * RFC 5321 4.5.3.2.7: the server waits 5 minutes for the client's next TCP data while it
         * reads the message (the 3 minutes of 4.5.3.2.5 are the client's wait for a data block).
         */
        @WithName("data-timeout")
        @WithDefault("300s")
        Duration dataTimeout();

        /** Time the downstream gets to answer a command; the end of data waits up to 10 minutes (RFC 5321). */
        /** Longest a session may last, whatever it does (421 4.4.2 then); 0 = no limit. */
        @WithName("max-session-time")
        @WithDefault("2h")
        Duration maxSessionTime();

        /**
         * Slowest average rate, in bytes per second, at which a message is read (judged after its
         * first 30 s; 421 4.4.2 below it); 0 = no limit. At 2048 a 10 MiB message takes 85 minutes.
         */
        @WithName("min-data-rate")
        @WithDefault("2048")
        long minDataRate();

        /**
         * Bytes of messages held in memory by all sessions together; a message that would go past it
         * is answered 452 4.3.1 (insufficient system storage) and the sender retries later.
         */
        @WithName("in-flight-bytes")
        @WithDefault("256M")
        io.quarkus.runtime.configuration.MemorySize inFlightBytes();

        /**
         * A message larger than this is written to {@code <data-dir>/message-spool} while it is read
         * (files 0600, deleted when the transaction ends); only what stays in memory counts against
         * in-flight-bytes.
         */
        @WithName("spool-threshold")
        @WithDefault("1M")
        io.quarkus.runtime.configuration.MemorySize spoolThreshold();

        /** Disk bytes all spooled messages together may use; a message that would go past it gets 452 4.3.1. */
        @WithName("spool-bytes")
        @WithDefault("2G")
        io.quarkus.runtime.configuration.MemorySize spoolBytes();

        @WithName("downstream-timeout")
        @WithDefault("60s")
        Duration downstreamTimeout();

        @WithName("downstream-data-timeout")
        @WithDefault("600s")
        Duration downstreamDataTimeout();

        @WithName("downstream-connect-timeout")
        @WithDefault("10s")
        Duration downstreamConnectTimeout();

        /**
         * Idle downstream connections each event loop keeps for the next client session (0: every
         * session opens its own); see DownstreamCache. Postfix's SMTP client caches the same way.
         */
        @WithName("downstream-cache-size")
        @WithDefault("16")
        int downstreamCacheSize();

        /** An idle cached downstream connection is closed after this (smtp_connection_cache_time_limit). */
        @WithName("downstream-cache-idle")
        @WithDefault("2s")
        Duration downstreamCacheIdle();

        /** Transactions one downstream connection carries at most (smtp_connection_reuse_count_limit). */
        @WithName("downstream-reuse-count")
        @WithDefault("100")
        int downstreamReuseCount();

        /** A downstream connection is not reused once this old (smtp_connection_reuse_time_limit). */
        @WithName("downstream-reuse-time")
        @WithDefault("300s")
        Duration downstreamReuseTime();

        /**
         * 452 replies for recipients beyond max-recipients (or of another policy) that are free;
         * each one past this counts as an error (Postfix smtpd_recipient_overshoot_limit).
         */
        @WithName("recipient-overshoot-limit")
        @WithDefault("1000")
        int recipientOvershootLimit();
    }

    interface Smuggling {
        /** reject (550 5.5.2 at the end of data) or normalize (bare CR/LF become line breaks, NUL removed). */
        @WithDefault("reject")
        String mode();
    }

    interface Tls {
        @WithDefault("true")
        boolean enabled();

        /** PEM certificate chain; when absent a self-signed certificate is generated at start. */
        @WithName("cert")
        Optional<String> certPath();

        @WithName("key")
        Optional<String> keyPath();
    }

    /**
     * Postfix's error limits (smtpd_soft_error_limit, smtpd_hard_error_limit, smtpd_error_sleep_time):
     * errors are 4xx/5xx replies (refused or unknown recipients, refused or bad commands); valid
     * recipients never slow a session down.
     */
    interface Tarpit {
        /** Errors from which on every reply waits {@link #errorSleepTime()}; 0 disables the delays. */
        @WithName("soft-error-limit")
        @WithDefault("10")
        int softErrorLimit();

        /** Errors at which the session is closed with 421 4.7.0; 0 = never. */
        @WithName("hard-error-limit")
        @WithDefault("20")
        int hardErrorLimit();

        @WithName("error-sleep-time")
        @WithDefault("1s")
        Duration errorSleepTime();

        /** Each further error multiplies the delay (1.0 = constant, as in Postfix). */
        @WithDefault("1.0")
        double multiplier();

        @WithName("max-delay")
        @WithDefault("60s")
        Duration maxDelay();
    }

    interface Dsn {
        /**
         * Allow DSN (RFC 3461) pass-through: RET/ENVID/NOTIFY/ORCPT are accepted and passed on. DSN
         * is offered in EHLO only when the downstream's latest EHLO offered it, or {@link #advertise()}.
         */
        @WithDefault("true")
        boolean enabled();

        /** Offer DSN even before the gateway has seen the downstream offer it (the operator vouches). */
        @WithDefault("false")
        boolean advertise();
    }

    interface Sanity {
        /** Delay of the banner to catch clients that talk first (postscreen greet wait); 0 = none. */
        @WithName("greet-pause")
        @WithDefault("0s")
        Duration greetPause();

        @WithName("require-fqdn-helo")
        @WithDefault("true")
        boolean requireFqdnHelo();
    }

    interface Dns {
        /** host:port of the DNS server; default the system resolver. */
        Optional<String> resolver();

        @WithName("cache-size")
        @WithDefault("100000")
        int cacheSize();

        @WithName("negative-ttl-max")
        @WithDefault("3600s")
        Duration negativeTtlMax();
    }

    interface TrustService {
        Optional<String> url();

        Optional<String> key();

        @WithName("timeout")
        @WithDefault("10s")
        Duration timeout();
    }

    interface Intake {
        /** Recipient domain of the report mailboxes, e.g. reports.trustbl.example. */
        @WithDefault("reports.localdomain")
        String domain();
    }
}
