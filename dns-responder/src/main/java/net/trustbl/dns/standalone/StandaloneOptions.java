package net.trustbl.dns.standalone;

import java.util.List;

import net.trustbl.dns.config.DnsConfig;

/**
 * The standalone responder's options, declared once: the command line, its {@code --help} and the
 * unknown-option check come from this table ({@code StandaloneOptionsTest} checks that every key
 * {@link DnsConfig} and the traffic settings read is here).
 */
final class StandaloneOptions {

    static final String PREFIX = "trustbl.dns.";

    /** One option: {@code --name LABEL}, or a flag when the label is null. */
    record Option(String name, String label, String description) {
        boolean isFlag() {
            return label == null;
        }
    }

    static final String[] DESCRIPTION = {
        "Data comes from rbldnsd ip4set/ip6trie files (reloaded when they change) or from a primary",
        "(AXFR, then IXFR on NOTIFY and on the SOA refresh timer). Until data is loaded, and after the",
        "SOA expire without a successful refresh, names in the zones get SERVFAIL (fail closed); the",
        "RFC 5782 test points 127.0.0.2 (listed) and 127.0.0.1 (not listed) always answer.",
    };

    static final String[] FOOTER = {
        "Examples:",
        "  trustbl-dns --bind 0.0.0.0:53 --zone bl.example.org --rbldnsd-file /var/lib/trustbl-dns/bl.ip4set",
        "  trustbl-dns --bind 0.0.0.0:53 --zone bl.example.org --primary central.example.org:5353 \\",
        "              --tsig xfr:hmac-sha256:BASE64 --metrics.bind 127.0.0.1:9153",
        "  trustbl-dns --check-config --zone bl.example.org --rbldnsd-file bl.ip4set",
        "",
        "Exit status: 0 stopped normally or --check-config passed; 1 bad configuration; 2 usage error.",
        "The launcher dns-responder/bin/trustbl-dns picks the JVM settings; see docs/dns.md.",
    };

    private static final DnsConfig D = DnsConfig.defaults();

    static final List<Option> ALL = List.of(
        // what to do
        new Option("help", null, "Print this help and exit."),
        new Option("check-config", null, "Check the options, the data files and the keys, print a summary and exit "
                + "(0 when valid, 1 when not); binds nothing."),
        new Option("self-test", null, "Serve built-in test data on a loopback port, check answers over UDP and TCP, "
                + "print PASS or FAIL and exit (also the launcher's class-data-sharing training run)."),
        new Option("measure-heap", null, "Load the --rbldnsd-file data, print heap bytes per entry and exit."),
        // where the data comes from
        new Option("rbldnsd-file", "FILE[,FILE...]", "rbldnsd ip4set/ip6trie files to serve (ranges a.b.c.d-e, "
                + "a.b.c.d-e.f.g.h, a.b.c, a.b, CIDR); reloaded when their size or time changes."),
        new Option("allow-rbldnsd-file", "FILE[,FILE...]", "rbldnsd files of the allow zone (trusted senders, "
                + "e.g. the service's /api/v1/export/rbldnsd/allow/ip4set); with --rbldnsd-file, reloaded like it."),
        new Option("primary", "HOST:PORT", "Follow this primary: AXFR, then IXFR on NOTIFY and on the SOA refresh timer."),
        new Option("tsig", "NAME:ALG:BASE64", "TSIG key (e.g. xfr:hmac-sha256:...): sign transfers towards the primary; "
                + "outgoing transfers and incoming NOTIFYs then need it too, and NOTIFYs sent are signed."),
        new Option("max-transfer-records", "N", "Replica: a zone transfer of more records is refused and the loaded data "
                + "stays (default " + ZoneFollower.DEFAULT_MAX_TRANSFER_RECORDS + "; 1,000,000 listings are about 2,000,000)."),
        // how it answers
        new Option("bind", "HOST:PORT", "Address for UDP and TCP (default " + DnsConfig.DEFAULT_BIND + ")."),
        new Option("zone", "ZONE[,ALIAS...]", "Zone(s) to answer for (default " + DnsConfig.DEFAULT_ZONE + ")."),
        new Option("public-host", "HOST", "Host named in the default TXT text (https://HOST/lookup/$)."),
        new Option("txt-template", "TEXT", "TXT text of a listing; $ becomes the queried address."),
        new Option("allow-zone", "ZONE", "Zone of trusted senders, answered 127.0.10.x (default " + DnsConfig.DEFAULT_ALLOW_ZONE
                + "); followed from the primary like the list."),
        new Option("allow-txt-template", "TEXT", "TXT text of a trusted sender (default: Trusted by TrustBL: "
                + "https://HOST/lookup/$)."),
        new Option("ttl.listed", "SECONDS", "TTL of listings (default " + D.listedTtl() + ")."),
        new Option("ttl.negative", "SECONDS", "TTL of NXDOMAIN answers, the SOA minimum (default " + D.negativeTtl() + ")."),
        new Option("ns", "NAME[,NAME...]", "NS names of the zone."),
        new Option("soa.mname", "NAME", "SOA primary name server."),
        new Option("soa.rname", "MAILBOX", "SOA responsible mailbox (as a DNS name)."),
        new Option("soa.refresh", "SECONDS", "SOA refresh (default " + D.soaRefresh() + ")."),
        new Option("soa.retry", "SECONDS", "SOA retry (default " + D.soaRetry() + ")."),
        new Option("soa.expire", "SECONDS", "SOA expire (default " + D.soaExpire() + "); a file replica fails closed "
                + "when its files are gone this long; a replica of a primary takes the primary's (at most 28 days)."),
        new Option("notify", "HOST:PORT[,...]", "Secondaries to send NOTIFY to when the serial changes."),
        new Option("allow-transfer", "CIDR[,CIDR...]", "Who may AXFR/IXFR (default 127.0.0.0/8, ::1)."),
        new Option("allow-query", "CIDR[,CIDR...]", "Who may query (default everyone)."),
        new Option("rrl.responses-per-second", "N", "Response rate limit per client network (default "
                + D.rrlResponsesPerSecond() + "; 0 = off)."),
        new Option("rrl.slip", "N", "Every Nth limited answer goes out truncated (default " + D.rrlSlip() + ")."),
        new Option("rrl.exempt", "CIDR[,CIDR...]", "Clients never rate limited (default 127.0.0.0/8, ::1)."),
        new Option("max-udp-size", "BYTES", "Largest UDP answer (default " + D.maxUdpSize() + ")."),
        new Option("udp-threads", "N", "UDP worker threads, each with its own socket (default: one per two cores, at least one)."),
        new Option("udp-io", "auto|mmsg|epoll|java", "UDP I/O: mmsg = several packets per system call "
                + "(recvmmsg/sendmmsg) into fixed buffers; epoll = the same calls through Netty's channel; java = the "
                + "JDK's, one per call; auto (default) = the first of these the platform has."),
        new Option("udp-coalesce-micros", "US", "mmsg only: under load (4 or more packets in the last read), pause this "
                + "long before the next read so that more packets come per system call (default " + D.udpCoalesceMicros()
                + "; 0 = read again at once; at most " + DnsConfig.MAX_UDP_COALESCE_MICROS + ")."),
        new Option("tcp.max-connections", "N", "Concurrent TCP connections (default " + D.tcpMaxConnections() + ")."),
        new Option("tcp.idle-timeout-ms", "MS", "Idle TCP connections close after this (default " + D.tcpIdleTimeoutMillis() + ")."),
        new Option("tcp.message-timeout-ms", "MS", "A whole TCP query must arrive within this (default "
                + D.tcpMessageTimeoutMillis() + ")."),
        new Option("tcp.connection-lifetime-ms", "MS", "A TCP connection closes after this (default "
                + D.tcpConnectionLifetimeMillis() + ")."),
        new Option("tcp.max-per-client", "N", "TCP connections per client address (default " + D.tcpMaxPerClient() + ")."),
        new Option("metrics.bind", "HOST:PORT", "Serve /metrics (Prometheus) and /ready (200 serving, 503 failing closed); "
                + "off by default."),
        // lookup counts for the central service
        new Option("traffic-url", "URL", "Central service to send lookup counts to (with --traffic-key)."),
        new Option("traffic-proof-hours", "H", "Count a UDP lookup only from client networks that queried over TCP "
                + "within this many hours (the first query of an unproven network, at most every 10 minutes, is answered "
                + "truncated so that its resolver retries over TCP); default " + D.trafficProofHours()
                + "; 0 = count every answered lookup (spoofable)."),
        new Option("traffic-proof-exempt", "CIDR[,CIDR...]", "Clients whose UDP lookups count without proof "
                + "(default 127.0.0.0/8, ::1)."),
        new Option("traffic-key", "KEY", "API key with scope traffic (better: TRUSTBL_DNS_TRAFFIC_KEY)."),
        new Option("traffic-interval", "DURATION", "How often counts are uploaded (default 60s)."),
        new Option("traffic.interval", "DURATION", "A client network's lookup of an address counts once per this (default 1h)."),
        new Option("traffic.max-pairs", "N", "Address/client-network pairs counted per interval (default 500000)."),
        new Option("traffic.max-pairs-per-network", "N", "Of these, pairs one client network (IPv4 /24, IPv6 /48) "
                + "may take per interval (default max-pairs/64, 7812 at the default; at most max-pairs)."));

    private StandaloneOptions() {
    }

    /** The option for a {@code trustbl.dns.*} key, or null. */
    static Option forKey(String key) {
        String name = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
        for (Option o : ALL) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }
}
