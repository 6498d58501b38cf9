package net.trustbl.dns.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads {@link DnsConfig} from the {@code trustbl.dns.*} keys (each also as an environment
 * variable, see {@link SettingLookup}); the defaults are the builder's.
 */
final class DnsConfigReader {

    private DnsConfigReader() {
    }

    static DnsConfig read(Function<String, String> lookup) {
        Function<String, String> get = key -> SettingLookup.get(lookup, key);
        DnsConfig.Builder b = DnsConfig.builder();
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
            b.txtTemplate(DnsConfig.defaultTemplate(host));
        }
        b.allowZone = orElse(get.apply("trustbl.dns.allow-zone"), b.allowZone);
        String allowTpl = get.apply("trustbl.dns.allow-txt-template");
        b.allowTxtTemplate = allowTpl != null ? allowTpl : host != null ? DnsConfig.defaultAllowTemplate(host) : b.allowTxtTemplate;
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
                targets.add(DnsConfig.hostPort(t, 53));
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
        b.trafficProofHours = intOr(get.apply("trustbl.dns.traffic-proof-hours"), b.trafficProofHours);
        if (get.apply("trustbl.dns.traffic-proof-exempt") != null) {
            b.trafficProofExempt = list(get.apply("trustbl.dns.traffic-proof-exempt"));
        }
        b.udpCoalesceMicros(intOr(get.apply("trustbl.dns.udp-coalesce-micros"), b.udpCoalesceMicros));
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
}
