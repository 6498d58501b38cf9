package net.trustbl.dns.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Responder settings. Build with {@link #builder()} or read the {@code trustbl.dns.*} keys with
 * {@link #fromLookup(Function)} (each key also as an environment variable: upper case, '.' and '-'
 * become '_', e.g. {@code TRUSTBL_DNS_BIND}).
 */
public record DnsConfig(
        String bindHost,
        int bindPort,
        String zone,
        String txtTemplate,
        int listedTtl,
        int negativeTtl,
        String soaMname,
        String soaRname,
        List<String> nsNames,
        int soaRefresh,
        int soaRetry,
        int soaExpire,
        List<InetSocketAddress> notifyTargets,
        List<String> transferAcl,
        List<String> queryAcl,
        int rrlResponsesPerSecond,
        int rrlSlip,
        List<String> rrlExempt,
        int maxUdpSize,
        int udpThreads,
        int tcpMaxConnections,
        int tcpIdleTimeoutMillis,
        String tsigKey,
        int tcpMessageTimeoutMillis,
        int tcpConnectionLifetimeMillis,
        int tcpMaxPerClient,
        String metricsBind,
        String udpIo) {

    /** {@code trustbl.dns.udp-io}: batched native I/O when the platform has it, else the JDK's. */
    public static final List<String> UDP_IO = List.of("auto", "epoll", "java");

    public static final String DEFAULT_BIND = "127.0.0.1:5353";
    public static final String DEFAULT_ZONE = "bl.trustbl.test";
    public static final String DEFAULT_PUBLIC_HOST = "trustbl.test";

    public DnsConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (bindPort < 0 || bindPort > 65535) {
            throw new IllegalArgumentException("bind port must be 0..65535");
        }
        zone = normalizeZone(zone);
        if (txtTemplate == null || txtTemplate.isEmpty()) {
            txtTemplate = defaultTemplate(DEFAULT_PUBLIC_HOST);
        }
        if (txtTemplate.length() > 400) {
            throw new IllegalArgumentException("txt template longer than 400 characters");
        }
        String primary = zone.split(",", 2)[0];
        if (soaMname == null || soaMname.isBlank()) {
            soaMname = "ns1." + primary;
        }
        if (soaRname == null || soaRname.isBlank()) {
            soaRname = "hostmaster." + primary;
        }
        nsNames = nsNames == null || nsNames.isEmpty() ? List.of(soaMname) : List.copyOf(nsNames);
        notifyTargets = notifyTargets == null ? List.of() : List.copyOf(notifyTargets);
        transferAcl = transferAcl == null ? List.of() : List.copyOf(transferAcl);
        queryAcl = queryAcl == null ? List.of() : List.copyOf(queryAcl);
        rrlExempt = rrlExempt == null ? List.of() : List.copyOf(rrlExempt);
        if (maxUdpSize < 512 || maxUdpSize > 65535) {
            throw new IllegalArgumentException("max UDP size must be 512..65535");
        }
        if (listedTtl < 0 || negativeTtl < 0) {
            throw new IllegalArgumentException("TTLs must not be negative");
        }
        if (udpThreads <= 0) {
            // one blocking thread per core (measured on 2 cores: ~5 us CPU per query with 1 or 2 threads)
            udpThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        }
        if (tcpMaxConnections <= 0) {
            tcpMaxConnections = 128;
        }
        if (tcpIdleTimeoutMillis <= 0) {
            tcpIdleTimeoutMillis = 10_000;
        }
        if (tcpMessageTimeoutMillis <= 0) {
            tcpMessageTimeoutMillis = 5_000;
        }
        if (tcpConnectionLifetimeMillis <= 0) {
            tcpConnectionLifetimeMillis = 120_000;
        }
        if (tcpMaxPerClient < 0) {
            tcpMaxPerClient = 0;
        }
        if (metricsBind != null && metricsBind.isBlank()) {
            metricsBind = null;
        }
        udpIo = udpIo == null || udpIo.isBlank() ? "auto" : udpIo.trim().toLowerCase(Locale.ROOT);
        if (!UDP_IO.contains(udpIo)) {
            throw new IllegalArgumentException("udp-io must be one of " + UDP_IO + ": " + udpIo);
        }
    }

    public static String defaultTemplate(String publicHost) {
        return "Listed by TrustBL: https://" + publicHost + "/lookup/$";
    }

    /**
     * The zones served, normalized (lower case, no trailing dot) and joined by commas: the first is
     * the primary name, the others serve the same data as aliases. Duplicates and a zone inside
     * another one are rejected.
     */
    static String normalizeZone(String zone) {
        if (zone == null || zone.isBlank()) {
            return DEFAULT_ZONE;
        }
        List<String> out = new ArrayList<>();
        for (String part : zone.split(",")) {
            String z = part.trim().toLowerCase(Locale.ROOT);
            while (z.endsWith(".")) {
                z = z.substring(0, z.length() - 1);
            }
            if (z.isEmpty() || z.length() > 200) {
                throw new IllegalArgumentException("zone must be a domain name or a comma-separated list of them");
            }
            for (String other : out) {
                if (other.equals(z) || other.endsWith("." + z) || z.endsWith("." + other)) {
                    throw new IllegalArgumentException("zones must be distinct and not inside each other: " + other + ", " + z);
                }
            }
            out.add(z);
        }
        return String.join(",", out);
    }

    /** The zones served, the primary name first (see {@code trustbl.dns.zone}). */
    public List<String> zones() {
        return List.of(zone.split(","));
    }

    /** The first zone: the default SOA/NS names, the zone a standalone follower transfers. */
    public String primaryZone() {
        return zone.split(",", 2)[0];
    }

    /** The TSIG key of {@code trustbl.dns.tsig} ({@code name:algorithm:base64secret}), or null. */
    public org.xbill.DNS.TSIG tsig() {
        if (tsigKey == null || tsigKey.isBlank()) {
            return null;
        }
        String[] p = tsigKey.split(":", 3);
        if (p.length != 3) {
            throw new IllegalArgumentException("trustbl.dns.tsig must be name:algorithm:base64secret");
        }
        return new org.xbill.DNS.TSIG(p[1], p[0], p[2]);
    }

    public InetSocketAddress bindAddress() {
        return new InetSocketAddress(bindHost, bindPort);
    }

    public static DnsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindHost = bindHost;
        b.bindPort = bindPort;
        b.zone = zone;
        b.txtTemplate = txtTemplate;
        b.listedTtl = listedTtl;
        b.negativeTtl = negativeTtl;
        b.soaMname = soaMname;
        b.soaRname = soaRname;
        b.nsNames = nsNames;
        b.soaRefresh = soaRefresh;
        b.soaRetry = soaRetry;
        b.soaExpire = soaExpire;
        b.notifyTargets = notifyTargets;
        b.transferAcl = transferAcl;
        b.queryAcl = queryAcl;
        b.rrlResponsesPerSecond = rrlResponsesPerSecond;
        b.rrlSlip = rrlSlip;
        b.rrlExempt = rrlExempt;
        b.maxUdpSize = maxUdpSize;
        b.udpThreads = udpThreads;
        b.tcpMaxConnections = tcpMaxConnections;
        b.tcpIdleTimeoutMillis = tcpIdleTimeoutMillis;
        b.tsigKey = tsigKey;
        b.tcpMessageTimeoutMillis = tcpMessageTimeoutMillis;
        b.tcpConnectionLifetimeMillis = tcpConnectionLifetimeMillis;
        b.tcpMaxPerClient = tcpMaxPerClient;
        b.metricsBind = metricsBind;
        b.udpIo = udpIo;
        return b;
    }

    /**
     * Reads the {@code trustbl.dns.*} keys through {@code lookup} (which returns null when unset),
     * falling back to environment variables. See docs/dns.md for the list.
     */
    public static DnsConfig fromLookup(Function<String, String> lookup) {
        Function<String, String> get = key -> {
            String v = lookup.apply(key);
            if (v == null) {
                v = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
            return v == null || v.isBlank() ? null : v.trim();
        };
        Builder b = builder();
        String bind = get.apply("trustbl.dns.bind");
        if (bind != null) {
            b.bind(bind);
        }
        String zone = get.apply("trustbl.dns.zone");
        if (zone != null) {
            b.zone(zone);
        }
        String host = get.apply("trustbl.dns.public-host");
        String tpl = get.apply("trustbl.dns.txt-template");
        if (tpl != null) {
            b.txtTemplate(tpl);
        } else if (host != null) {
            b.txtTemplate(defaultTemplate(host));
        }
        b.listedTtl(intOr(get.apply("trustbl.dns.ttl.listed"), b.listedTtl));
        b.negativeTtl(intOr(get.apply("trustbl.dns.ttl.negative"), b.negativeTtl));
        b.soaMname = orElse(get.apply("trustbl.dns.soa.mname"), null);
        b.soaRname = orElse(get.apply("trustbl.dns.soa.rname"), null);
        b.soaRefresh = intOr(get.apply("trustbl.dns.soa.refresh"), b.soaRefresh);
        b.soaRetry = intOr(get.apply("trustbl.dns.soa.retry"), b.soaRetry);
        b.soaExpire = intOr(get.apply("trustbl.dns.soa.expire"), b.soaExpire);
        if (get.apply("trustbl.dns.ns") != null) {
            b.nsNames = list(get.apply("trustbl.dns.ns"));
        }
        if (get.apply("trustbl.dns.notify") != null) {
            List<InetSocketAddress> targets = new ArrayList<>();
            for (String t : list(get.apply("trustbl.dns.notify"))) {
                targets.add(hostPort(t, 53));
            }
            b.notifyTargets(targets);
        }
        if (get.apply("trustbl.dns.allow-transfer") != null) {
            b.transferAcl(list(get.apply("trustbl.dns.allow-transfer")));
        }
        if (get.apply("trustbl.dns.allow-query") != null) {
            b.queryAcl(list(get.apply("trustbl.dns.allow-query")));
        }
        b.rrlResponsesPerSecond(intOr(get.apply("trustbl.dns.rrl.responses-per-second"), b.rrlResponsesPerSecond));
        b.rrlSlip(intOr(get.apply("trustbl.dns.rrl.slip"), b.rrlSlip));
        if (get.apply("trustbl.dns.rrl.exempt") != null) {
            b.rrlExempt(list(get.apply("trustbl.dns.rrl.exempt")));
        }
        b.maxUdpSize(intOr(get.apply("trustbl.dns.max-udp-size"), b.maxUdpSize));
        b.udpThreads(intOr(get.apply("trustbl.dns.udp-threads"), b.udpThreads));
        b.tcpMaxConnections = intOr(get.apply("trustbl.dns.tcp.max-connections"), b.tcpMaxConnections);
        b.tcpIdleTimeoutMillis = intOr(get.apply("trustbl.dns.tcp.idle-timeout-ms"), b.tcpIdleTimeoutMillis);
        b.tsigKey = orElse(get.apply("trustbl.dns.tsig"), null);
        b.tcpMessageTimeoutMillis = intOr(get.apply("trustbl.dns.tcp.message-timeout-ms"), b.tcpMessageTimeoutMillis);
        b.tcpConnectionLifetimeMillis = intOr(get.apply("trustbl.dns.tcp.connection-lifetime-ms"), b.tcpConnectionLifetimeMillis);
        b.tcpMaxPerClient = intOr(get.apply("trustbl.dns.tcp.max-per-client"), b.tcpMaxPerClient);
        b.metricsBind = orElse(get.apply("trustbl.dns.metrics.bind"), b.metricsBind);
        b.udpIo = orElse(get.apply("trustbl.dns.udp-io"), b.udpIo);
        return b.build();
    }

    private static String orElse(String v, String d) {
        return v == null ? d : v;
    }

    private static int intOr(String v, int d) {
        if (v == null) {
            return d;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + v);
        }
    }

    static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        for (String s : v.split("[,\\s]+")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** host:port, [v6]:port or a bare host (default port). */
    public static InetSocketAddress hostPort(String s, int defaultPort) {
        String host = s;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            host = s.substring(1, end);
            if (end + 1 < s.length() && s.charAt(end + 1) == ':') {
                port = Integer.parseInt(s.substring(end + 2));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
        }
        return new InetSocketAddress(host, port);
    }

    public static final class Builder {
        private String bindHost = "127.0.0.1";
        private int bindPort = 5353;
        private String zone = DEFAULT_ZONE;
        private String txtTemplate = defaultTemplate(DEFAULT_PUBLIC_HOST);
        private int listedTtl = 300;
        private int negativeTtl = 60;
        private String soaMname;
        private String soaRname;
        private List<String> nsNames;
        private int soaRefresh = 300;
        private int soaRetry = 60;
        private int soaExpire = 604_800;
        private List<InetSocketAddress> notifyTargets = List.of();
        private List<String> transferAcl = List.of("127.0.0.0/8", "::1");
        private List<String> queryAcl = List.of();
        private int rrlResponsesPerSecond = 1000;
        private int rrlSlip = 2;
        private List<String> rrlExempt = List.of("127.0.0.0/8", "::1");
        private int maxUdpSize = 1232;
        private int udpThreads;
        private int tcpMaxConnections = 128;
        private int tcpIdleTimeoutMillis = 10_000;
        private String tsigKey;
        private int tcpMessageTimeoutMillis = 5_000;
        private int tcpConnectionLifetimeMillis = 120_000;
        private int tcpMaxPerClient = 16;
        private String metricsBind;
        private String udpIo = "auto";

        /**
         * Slow-client limits: a whole query (length prefix and message) must arrive within
         * {@code messageTimeoutMillis} of its first byte, a connection lives at most
         * {@code connectionLifetimeMillis}, and one client address holds at most
         * {@code maxPerClient} connections (0 = no per-client cap).
         */
        public Builder tcpLimits(int messageTimeoutMillis, int connectionLifetimeMillis, int maxPerClient) {
            this.tcpMessageTimeoutMillis = messageTimeoutMillis;
            this.tcpConnectionLifetimeMillis = connectionLifetimeMillis;
            this.tcpMaxPerClient = maxPerClient;
            return this;
        }

        /** Standalone only: {@code host:port} of the Prometheus text endpoint; null = off. */
        public Builder udpIo(String v) {
            this.udpIo = v;
            return this;
        }

        public Builder metricsBind(String hostPort) {
            this.metricsBind = hostPort;
            return this;
        }

        public Builder bind(String hostPort) {
            InetSocketAddress a = hostPort(hostPort, 5353);
            this.bindHost = a.getHostString();
            this.bindPort = a.getPort();
            return this;
        }

        public Builder bind(String host, int port) {
            this.bindHost = host;
            this.bindPort = port;
            return this;
        }

        public Builder zone(String v) {
            this.zone = v;
            return this;
        }

        public Builder txtTemplate(String v) {
            this.txtTemplate = v;
            return this;
        }

        public Builder publicHost(String host) {
            this.txtTemplate = defaultTemplate(host);
            return this;
        }

        public Builder listedTtl(int v) {
            this.listedTtl = v;
            return this;
        }

        public Builder negativeTtl(int v) {
            this.negativeTtl = v;
            return this;
        }

        public Builder soa(String mname, String rname, int refresh, int retry, int expire) {
            this.soaMname = mname;
            this.soaRname = rname;
            this.soaRefresh = refresh;
            this.soaRetry = retry;
            this.soaExpire = expire;
            return this;
        }

        public Builder nsNames(List<String> v) {
            this.nsNames = v;
            return this;
        }

        public Builder notifyTargets(List<InetSocketAddress> v) {
            this.notifyTargets = v;
            return this;
        }

        /** Client networks allowed to AXFR/IXFR (default loopback only). */
        public Builder transferAcl(List<String> v) {
            this.transferAcl = v;
            return this;
        }

        /** Client networks allowed to query; empty = everyone (default). */
        public Builder queryAcl(List<String> v) {
            this.queryAcl = v;
            return this;
        }

        /** Responses per second per client /24 or /56; 0 disables rate limiting. */
        public Builder rrlResponsesPerSecond(int v) {
            this.rrlResponsesPerSecond = v;
            return this;
        }

        /** Every n-th limited response is sent truncated instead of dropped (0 = drop all). */
        public Builder rrlSlip(int v) {
            this.rrlSlip = v;
            return this;
        }

        public Builder rrlExempt(List<String> v) {
            this.rrlExempt = v;
            return this;
        }

        public Builder maxUdpSize(int v) {
            this.maxUdpSize = v;
            return this;
        }

        public Builder udpThreads(int v) {
            this.udpThreads = v;
            return this;
        }

        public Builder tcp(int maxConnections, int idleTimeoutMillis) {
            this.tcpMaxConnections = maxConnections;
            this.tcpIdleTimeoutMillis = idleTimeoutMillis;
            return this;
        }

        /** TSIG key for transfers, {@code name:algorithm:base64secret} (e.g. hmac-sha256). */
        public Builder tsigKey(String v) {
            this.tsigKey = v;
            return this;
        }

        public DnsConfig build() {
            return new DnsConfig(bindHost, bindPort, zone, txtTemplate, listedTtl, negativeTtl, soaMname, soaRname,
                    nsNames, soaRefresh, soaRetry, soaExpire, notifyTargets, transferAcl, queryAcl,
                    rrlResponsesPerSecond, rrlSlip, rrlExempt, maxUdpSize, udpThreads, tcpMaxConnections,
                    tcpIdleTimeoutMillis, tsigKey, tcpMessageTimeoutMillis, tcpConnectionLifetimeMillis, tcpMaxPerClient,
                    metricsBind, udpIo);
        }
    }
}
