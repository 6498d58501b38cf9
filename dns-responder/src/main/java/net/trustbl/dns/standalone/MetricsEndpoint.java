package net.trustbl.dns.standalone;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.server.DnsMetrics;
import net.trustbl.dns.server.ZoneFreshness;

/**
 * A tiny Prometheus text endpoint ({@code GET /metrics}, exposition format 0.0.4) for the
 * standalone responder, on the JDK's built-in HTTP server. Off unless {@code trustbl.dns.metrics.bind}
 * is set (e.g. {@code 127.0.0.1:9153}); meant for loopback or a private network. {@code GET /ready}
 * answers 200 while the zone data may be served and 503 while the responder fails closed (no data
 * yet, or older than the SOA expire): the Kubernetes readiness probe.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer http;

    private MetricsEndpoint(HttpServer http) {
        this.http = http;
    }

    public static MetricsEndpoint start(InetSocketAddress bind, DnsMetrics metrics, ZoneData zone, ZoneFreshness freshness)
            throws IOException {
        HttpServer http = HttpServer.create(bind, 16);
        http.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                render(metrics, zone, freshness)));
        http.createContext("/ready", ex -> {
            boolean ready = freshness.servable();
            reply(ex, ready ? 200 : 503, "text/plain; charset=utf-8", readiness(freshness, ready));
        });
        http.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dns-metrics-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        return new MetricsEndpoint(http);
    }

    private static void reply(HttpExchange ex, int status, String type, String text) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, "HEAD".equals(ex.getRequestMethod()) ? -1 : body.length);
            if (!"HEAD".equals(ex.getRequestMethod())) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static String readiness(ZoneFreshness f, boolean ready) {
        if (ready) {
            return "ready: data age " + Math.round(f.ageSeconds()) + " s of " + f.expireSeconds() + " s (SOA expire)\n";
        }
        return f.loaded()
                ? "not ready: data age " + Math.round(f.ageSeconds()) + " s is past the SOA expire (" + f.expireSeconds()
                        + " s); answering SERVFAIL\n"
                : "not ready: no zone data loaded yet; answering SERVFAIL\n";
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The exposition text. */
    static String render(DnsMetrics m, ZoneData zone, ZoneFreshness freshness) {
        StringBuilder sb = new StringBuilder(4096);
        header(sb, "trustbl_dns_queries_total", "counter", "queries by type");
        for (String t : DnsMetrics.TYPES) {
            sb.append("trustbl_dns_queries_total{type=\"").append(t).append("\"} ").append(m.queriesByType(t)).append('\n');
        }
        header(sb, "trustbl_dns_responses_total", "counter", "responses sent, by rcode");
        for (int i = 0; i <= 10; i++) { // the named rcodes; the rest never occur
            String rc = DnsMetrics.RCODES[i];
            sb.append("trustbl_dns_responses_total{rcode=\"").append(rc).append("\"} ").append(m.responsesByRcode(rc)).append('\n');
        }
        counter(sb, "trustbl_dns_listed_hits_total", "lookups answered with a listing", m.listedHits());
        counter(sb, "trustbl_dns_rrl_drops_total", "responses dropped by rate limiting", m.rrlDrops());
        counter(sb, "trustbl_dns_rrl_slips_total", "responses sent truncated by rate limiting", m.rrlSlips());
        counter(sb, "trustbl_dns_dropped_total", "packets dropped without an answer", m.dropped());
        counter(sb, "trustbl_dns_acl_refused_total", "queries refused by allow-query", m.aclRefused());
        counter(sb, "trustbl_dns_tcp_refused_total", "TCP connections closed at accept (caps)", m.tcpRefused());
        header(sb, "trustbl_dns_latency_seconds", "histogram", "time to answer a query");
        long[] h = m.latencyHistogram();
        long cumulative = 0;
        for (int i = 0; i < DnsMetrics.LATENCY_BOUNDS_MICROS.length; i++) {
            cumulative += h[i];
            sb.append("trustbl_dns_latency_seconds_bucket{le=\"")
                    .append(String.format(Locale.ROOT, "%.6f", DnsMetrics.LATENCY_BOUNDS_MICROS[i] / 1e6))
                    .append("\"} ").append(cumulative).append('\n');
        }
        cumulative += h[h.length - 1];
        sb.append("trustbl_dns_latency_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        sb.append("trustbl_dns_latency_seconds_sum ").append(String.format(Locale.ROOT, "%.9f", m.latencyTotalNanos() / 1e9)).append('\n');
        sb.append("trustbl_dns_latency_seconds_count ").append(cumulative).append('\n');
        header(sb, "trustbl_dns_zone_serial", "gauge", "SOA serial served");
        sb.append("trustbl_dns_zone_serial ").append(zone.serial() & 0xffffffffL).append('\n');
        header(sb, "trustbl_dns_zone_data_age_seconds", "gauge",
                "seconds since the zone data was last loaded or confirmed current (NaN before the first load)");
        double age = freshness.ageSeconds();
        sb.append("trustbl_dns_zone_data_age_seconds ").append(Double.isNaN(age) ? "NaN"
                : String.format(Locale.ROOT, "%.3f", age)).append('\n');
        header(sb, "trustbl_dns_zone_expire_seconds", "gauge", "SOA expire: past this age the responder fails closed");
        sb.append("trustbl_dns_zone_expire_seconds ").append(freshness.expireSeconds()).append('\n');
        header(sb, "trustbl_dns_zone_servable", "gauge", "1 while answering from the data, 0 while failing closed (SERVFAIL)");
        sb.append("trustbl_dns_zone_servable ").append(freshness.servable() ? 1 : 0).append('\n');
        return sb.toString();
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        header(sb, name, "counter", help);
        sb.append(name).append(' ').append(v).append('\n');
    }

    @Override
    public void close() {
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }
}
