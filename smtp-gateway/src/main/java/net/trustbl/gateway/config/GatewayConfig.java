package net.trustbl.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the gateway, under the prefix {@code gateway}. The key names are public contract
 * (docs/gateway.md); environment variables work too (GATEWAY_LISTEN, GATEWAY_DNSBL_SITES…).
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** host:port the SMTP server binds to. */
    @WithDefault("127.0.0.1:2525")
    String listen();

    /** host:port of the real mail server behind the gateway (proxy mode). */
    @WithDefault("127.0.0.1:10025")
    String downstream();

    /** proxy (before-queue filter in front of an MTA) or intake (MX of the trust-service report domain). */
    @WithDefault("proxy")
    String mode();

    /** Name used in the banner, in EHLO to the downstream and in added headers. */
    @WithDefault("gateway.localdomain")
    String hostname();

    /**
     * Tell the downstream the real client with XFORWARD (NAME, ADDR, PROTO, HELO) before every
     * MAIL when it offers XFORWARD: its logs and Received line then show the client (Postfix:
     * smtpd_authorized_xforward_hosts).
     */
    @WithDefault("true")
    boolean xforward();

    /**
     * Tell the downstream the real client with XCLIENT when it offers it, so its restrictions judge
     * the client instead of the gateway (Postfix: smtpd_authorized_xclient_hosts). Off by default:
     * the downstream must be set up for it (docs/gateway.md).
     */
    @WithDefault("false")
    boolean xclient();

    /**
     * Where a refused sender or its postmaster learns more: a URL or a contact address, named in
     * every refusal after the session id (e.g. "https://example.org/mail-refused" or
     * "postmaster@example.org").
     */
    @WithName("refusal-info")
    Optional<String> refusalInfo();

    /** Filter names in the order they run; each filter binds itself to its stages. */
    @WithDefault("allow-deny,sanity,dnsbl,fcrdns,helo-dns,spf,sender-domain,spam-trap,recipients,greylist,size,attachments,content,external")
    List<String> filters();

    /** Folder for the embedded database, the generated TLS key and the external checker's spool. */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();

    Limits limits();

    Smuggling smuggling();

    Tls tls();

    Lists allow();

    Lists deny();

    Dnsbl dnsbl();

    Dns dns();

    Greylist greylist();

    @WithName("sender-domain")
    SenderDomain senderDomain();

    Traps traps();

    Recipients recipients();

    Tarpit tarpit();

    Attachments attachments();

    Content content();

    External external();

    @WithName("trust-service")
    TrustService trustService();

    Intake intake();

    Sanity sanity();

    Dsn dsn();

    /** SPF, forward-confirmed reverse DNS and HELO checks of the client (filters spf, fcrdns, helo-dns). */
    @WithName("client-checks")
    ClientChecks clientChecks();

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
         * default is TrustBL's own allow zone of trusted senders as a DNSWL (127.0.10.1-3, weight -2):
         * a client it vouches for scores at or below {@code gateway.greylist.skip-score} and is not
         * greylisted. A list set here replaces the default: add the allow zone to keep it.
         */
        @WithDefault("wl.trustbl.test=127.0.10.[1..3]*-2")
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

    interface Attachments {
        @WithName("blocked-extensions")
        @WithDefault("exe,scr,pif,bat,cmd,com,vbs,js,jar,lnk")
        List<String> blockedExtensions();

        @WithName("blocked-types")
        Optional<List<String>> blockedTypes();

        /** Open archives (zip, gzip, tar, nested) and judge what they hold; false: archives are judged by name only. */
        @WithName("scan-zip")
        @WithDefault("true")
        boolean scanZip();

        /** reject (550 5.7.1) or defer (451 4.7.1) a message with an archive that could not be fully inspected. */
        @WithName("uninspectable-action")
        @WithDefault("reject")
        String uninspectableAction();

        /** Recognised formats that pass unopened instead of failing closed (7z, rar, bzip2, xz, zstd, cab, iso, arj, lzh, ace). */
        @WithName("pass-uninspected-formats")
        Optional<List<String>> passUninspectedFormats();

        /** Archives inside archives are opened this deep (the attached archive is depth 1); deeper fails closed. */
        @WithName("max-depth")
        @WithDefault("4")
        int maxDepth();

        /** Bytes decompressed per message while looking into archives; more fails closed. */
        @WithName("max-inflated-bytes")
        @WithDefault("67108864")
        long maxInflatedBytes();

        /** Archive entries per message; more fails closed. */
        @WithName("max-entries")
        @WithDefault("10000")
        int maxEntries();

        /** Wall-clock limit of one message's scan (on a worker thread); when it passes the message fails closed. */
        @WithName("scan-timeout")
        @WithDefault("10s")
        Duration scanTimeout();
    }

    interface Content {
        List<ContentRule> rules();
    }

    interface ContentRule {
        /** header, body or any. */
        @WithDefault("any")
        String where();

        /** Java regex, matched case-insensitively. */
        String pattern();

        /** reject, defer or tag. */
        @WithDefault("reject")
        String action();

        @WithDefault("message content rejected by policy")
        String reason();
    }

    interface External {
        /** Command line run after DATA with "-s file -a ip -f from -t n rcpts…" appended. */
        Optional<String> command();

        @WithDefault("30s")
        Duration timeout();
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

    interface Sanity {
        /** Delay of the banner to catch clients that talk first (postscreen greet wait); 0 = none. */
        @WithName("greet-pause")
        @WithDefault("0s")
        Duration greetPause();

        @WithName("require-fqdn-helo")
        @WithDefault("true")
        boolean requireFqdnHelo();
    }
}
