package net.trustbl.dns.config;

import java.net.InetSocketAddress;
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
        String udpIo,
        int udpCoalesceMicros,
        String allowZone,
        String allowTxtTemplate,
        int trafficProofHours,
        List<String> trafficProofExempt) {

    /** {@code trustbl.dns.udp-io}: batched native I/O when the platform has it, else the JDK's. */
    public static final List<String> UDP_IO = List.of("auto", "mmsg", "epoll", "java");
    /**
     * {@code trustbl.dns.udp-coalesce-micros}: under load, how long the mmsg path lets packets gather
     * before its next read (see {@code MmsgUdp}); 0 = read again at once. At most 1 ms: a longer
     * pause only adds latency, since a read takes at most a batch.
     */
    public static final int DEFAULT_UDP_COALESCE_MICROS = 50;
    public static final int MAX_UDP_COALESCE_MICROS = 1_000;
    /** {@code trustbl.dns.traffic-proof-hours}: how long a TCP query proves its client network. */
    public static final int DEFAULT_TRAFFIC_PROOF_HOURS = 24;

    public static final String DEFAULT_BIND = "127.0.0.1:5353";
    public static final String DEFAULT_ZONE = "bl.trustbl.test";
    public static final String DEFAULT_PUBLIC_HOST = "trustbl.test";
    /** {@code trustbl.dns.allow-zone}: trusted senders, answered 127.0.10.x (see README). */
    public static final String DEFAULT_ALLOW_ZONE = "wl.trustbl.test";

    public DnsConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (bindPort < 0 || bindPort > 65535) {
            throw new IllegalArgumentException("bind port must be 0..65535");
        }
        zone = ZoneNames.normalize(zone);
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
            udpThreads = defaultUdpThreads(Runtime.getRuntime().availableProcessors());
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
        if (udpCoalesceMicros < 0 || udpCoalesceMicros > MAX_UDP_COALESCE_MICROS) {
            throw new IllegalArgumentException("udp-coalesce-micros must be 0.." + MAX_UDP_COALESCE_MICROS + ": " + udpCoalesceMicros);
        }
        allowZone = ZoneNames.normalizeAllowZone(allowZone, zone);
        if (allowTxtTemplate == null || allowTxtTemplate.isEmpty()) {
            allowTxtTemplate = defaultAllowTemplate(DEFAULT_PUBLIC_HOST);
        }
        if (allowTxtTemplate.length() > 400) {
            throw new IllegalArgumentException("allow zone txt template longer than 400 characters");
        }
        if (trafficProofHours < 0 || trafficProofHours > 24 * 30) {
            throw new IllegalArgumentException("traffic-proof-hours must be 0..720: " + trafficProofHours);
        }
        trafficProofExempt = trafficProofExempt == null ? List.of() : List.copyOf(trafficProofExempt);
    }

    public static String defaultTemplate(String publicHost) {
        return listedTemplate("https://" + publicHost);
    }

    /** The allow zone's TXT: the lookup page, which says why the sender is trusted. */
    public static String defaultAllowTemplate(String publicHost) {
        return trustedTemplate("https://" + publicHost);
    }

    /** The list's TXT linking to the lookup page of the site at {@code baseUrl} ($ = the queried address). */
    public static String listedTemplate(String baseUrl) {
        return "Listed by TrustBL: " + baseUrl + "/lookup/$";
    }

    /** The allow zone's TXT linking to the lookup page of the site at {@code baseUrl}. */
    public static String trustedTemplate(String baseUrl) {
        return "Trusted by TrustBL: " + baseUrl + "/lookup/$";
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

    /**
     * One UDP worker per two cores, at least one. Each answer costs the kernel about as much CPU
     * again as the worker spends (the send's softirq delivery, on loopback the client's receive
     * too), so a worker per core leaves the workers sharing cores with that work: their batches
     * shrink and the system calls per query grow. Measured with epoll on 2 cores (ops/bench/dns,
     * medians of 3 fresh starts): 1 worker 5.8 us of CPU per answer and 1.21-1.44x rbldnsd,
     * 2 workers 7.8 us and 1.05-1.17x.
     */
    static int defaultUdpThreads(int cores) {
        return Math.max(1, cores / 2);
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
        b.udpCoalesceMicros = udpCoalesceMicros;
        b.allowZone = allowZone;
        b.allowTxtTemplate = allowTxtTemplate;
        b.trafficProofHours = trafficProofHours;
        b.trafficProofExempt = trafficProofExempt;
        return b;
    }

    /**
     * Reads the {@code trustbl.dns.*} keys through {@code lookup} (which returns null when unset),
     * falling back to environment variables. See docs/dns.md for the list.
     */
    public static DnsConfig fromLookup(Function<String, String> lookup) {
        return DnsConfigReader.read(lookup);
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
        String bindHost = "127.0.0.1";
        int bindPort = 5353;
        String zone = DEFAULT_ZONE;
        String txtTemplate = defaultTemplate(DEFAULT_PUBLIC_HOST);
        int listedTtl = 300;
        int negativeTtl = 60;
        String soaMname;
        String soaRname;
        List<String> nsNames;
        int soaRefresh = 300;
        int soaRetry = 60;
        int soaExpire = 604_800;
        List<InetSocketAddress> notifyTargets = List.of();
        List<String> transferAcl = List.of("127.0.0.0/8", "::1");
        List<String> queryAcl = List.of();
        int rrlResponsesPerSecond = 1000;
        int rrlSlip = 2;
        List<String> rrlExempt = List.of("127.0.0.0/8", "::1");
        int maxUdpSize = 1232;
        int udpThreads;
        int tcpMaxConnections = 128;
        int tcpIdleTimeoutMillis = 10_000;
        String tsigKey;
        int tcpMessageTimeoutMillis = 5_000;
        int tcpConnectionLifetimeMillis = 120_000;
        int tcpMaxPerClient = 16;
        String metricsBind;
        String udpIo = "auto";
        int udpCoalesceMicros = DEFAULT_UDP_COALESCE_MICROS;
        String allowZone = DEFAULT_ALLOW_ZONE;
        String allowTxtTemplate = defaultAllowTemplate(DEFAULT_PUBLIC_HOST);
        int trafficProofHours = DEFAULT_TRAFFIC_PROOF_HOURS;
        List<String> trafficProofExempt = List.of("127.0.0.0/8", "::1");

        /** The zone of trusted senders and its TXT text ($ = the queried address). */
        public Builder allowZone(String zone, String txtTemplate) {
            this.allowZone = zone;
            this.allowTxtTemplate = txtTemplate;
            return this;
        }

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

        /** How UDP is read and written: one of {@link DnsConfig#UDP_IO}. */
        public Builder udpIo(String v) {
            this.udpIo = v;
            return this;
        }

        /** Standalone only: {@code host:port} of the Prometheus text endpoint; null = off. */
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
            this.allowTxtTemplate = defaultAllowTemplate(host);
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

        /**
         * UDP lookups count for the volume signal only from client networks that showed, over TCP
         * within this many hours, that they receive this server's answers; 0 counts every answered
         * UDP lookup (spoofable).
         */
        public Builder trafficProof(int hours, List<String> exempt) {
            this.trafficProofHours = hours;
            this.trafficProofExempt = exempt;
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

        /** Under load, the pause (µs) before the mmsg path's next read, so that packets gather; 0 = none. */
        public Builder udpCoalesceMicros(int v) {
            this.udpCoalesceMicros = v;
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
                    metricsBind, udpIo, udpCoalesceMicros, allowZone, allowTxtTemplate, trafficProofHours, trafficProofExempt);
        }
    }
}
