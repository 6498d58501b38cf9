package net.trustbl.dns.standalone;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.server.DnsConfig;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.server.ZoneFreshness;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.traffic.TrafficSettings;
import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.TSIG;

/**
 * The responder on its own, without a database. Every {@code trustbl.dns.*} key can be given as
 * {@code --key value} (without the prefix), as a system property or as an environment variable.
 * Data comes from rbldnsd files ({@code --rbldnsd-file a,b}, reloaded when they change) or from a
 * primary ({@code --primary host:port}, AXFR then IXFR on NOTIFY and on the SOA refresh timer).
 * {@code --measure-heap} loads the files, prints heap bytes per entry and exits.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> props = parseArgs(args);
        if (props.containsKey("trustbl.dns.help")) {
            System.out.println("usage: java -jar dns-responder.jar [--bind 127.0.0.1:5353] [--zone bl.trustbl.test[,alias,...]]"
                    + " [--public-host host] [--txt-template 'text $'] [--rbldnsd-file f1,f2 | --primary host:port]"
                    + " [--notify host:port,...] [--allow-transfer cidr,...] [--allow-query cidr,...]"
                    + " [--rrl.responses-per-second N] [--udp-threads N] [--metrics.bind 127.0.0.1:9153]"
                    + " [--traffic-url https://central --traffic-key ADMIN_KEY [--traffic-interval 60s] [--traffic.interval 1h]]"
                    + " [--measure-heap]");
            return;
        }
        java.util.function.Function<String, String> lookup = k -> props.getOrDefault(k, System.getProperty(k));
        DnsConfig config = DnsConfig.fromLookup(lookup);
        String files = get(lookup, "trustbl.dns.rbldnsd-file");
        String primary = get(lookup, "trustbl.dns.primary");
        if (props.containsKey("trustbl.dns.measure-heap")) {
            measureHeap(files);
            return;
        }
        if (files == null && primary == null) {
            // with no data every answer would be SERVFAIL (or, worse, "not listed")
            throw new IllegalArgumentException("needs a data source: --rbldnsd-file f1,f2 or --primary host:port");
        }
        ZoneData data = new ZoneData();
        // fail closed: SERVFAIL for names in the zones until data is loaded, and after the SOA
        // expire without a successful refresh (a secondary takes its primary's expire)
        ZoneFreshness freshness = ZoneFreshness.failClosed(Duration.ofSeconds(config.soaExpire()));
        FileWatcher watcher = null;
        if (files != null) {
            // load before binding: a replica must never answer "not listed" just because it is starting
            watcher = new FileWatcher(paths(files), data, freshness);
            watcher.loadNow();
        }
        // lookup counts go to the central service when it is named (the volume signal), else counting is off
        String trafficUrl = get(lookup, "trustbl.dns.traffic-url");
        String trafficKey = get(lookup, "trustbl.dns.traffic-key");
        TrafficCounters counters = trafficUrl != null && trafficKey != null
                ? new TrafficCounters(TrafficSettings.fromLookup(lookup)) : TrafficCounters.disabled();
        DnsServer server = DnsServer.start(config, data, counters, freshness);
        System.out.println("trustbl dns-responder serving " + config.zone() + " on " + config.bindHost() + ":"
                + server.boundPort() + " (udp+tcp)");
        List<AutoCloseable> closers = new ArrayList<>();
        if (counters.enabled()) {
            TrafficUploader uploader = new TrafficUploader(counters, trafficUrl, trafficKey);
            String every = get(lookup, "trustbl.dns.traffic-interval");
            uploader.start(every == null ? java.time.Duration.ofSeconds(60) : TrafficSettings.duration(every));
            System.out.println("lookup counts go to " + trafficUrl + "/api/v1/traffic every " + (every == null ? "60s" : every));
            closers.add(uploader);
        }
        if (config.metricsBind() != null) {
            MetricsEndpoint metrics = MetricsEndpoint.start(DnsConfig.hostPort(config.metricsBind(), 9153), server.metrics(), data, freshness);
            System.out.println("metrics (Prometheus text) on http://" + config.metricsBind() + "/metrics, readiness on /ready");
            closers.add(metrics);
        }
        if (watcher != null) {
            watcher.start();
            closers.add(watcher);
        } else if (primary != null) {
            InetSocketAddress p = DnsConfig.hostPort(primary, 53);
            String tsigSpec = get(lookup, "trustbl.dns.tsig");
            TSIG tsig = tsigSpec == null ? null : parseTsig(tsigSpec);
            ZoneFollower f = new ZoneFollower(p.getHostString(), p.getPort(), new ZoneRecords(config), data, tsig, freshness);
            InetAddress pa = p.getAddress();
            String from = pa == null ? "127.0.0.1" : pa.getHostAddress();
            server.onNotify(List.of(from), a -> f.notified());
            f.start();
            closers.add(f);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : closers) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // stopping
                }
            }
            server.close();
            stop.countDown();
        }));
        stop.await();
    }

    static TSIG parseTsig(String spec) {
        String[] p = spec.split(":", 3);
        if (p.length != 3) {
            throw new IllegalArgumentException("tsig must be name:algorithm:base64secret");
        }
        return new TSIG(p[1], p[0], p[2]);
    }

    private static String get(java.util.function.Function<String, String> lookup, String key) {
        String v = lookup.apply(key);
        if (v == null) {
            v = System.getenv(key.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return v == null || v.isBlank() ? null : v;
    }

    static List<Path> paths(String files) {
        List<Path> out = new ArrayList<>();
        for (String f : files.split(",")) {
            if (!f.isBlank()) {
                out.add(Path.of(f.trim()));
            }
        }
        return out;
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + " (try --help)");
            }
            String k = a.substring(2);
            String v;
            int eq = k.indexOf('=');
            if (eq >= 0) {
                v = k.substring(eq + 1);
                k = k.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                v = args[++i];
            } else {
                v = "true";
            }
            m.put(k.startsWith("trustbl.dns.") ? k : "trustbl.dns." + k, v);
        }
        return m;
    }

    /** Prints heap bytes per entry: used heap after full GCs with the data loaded minus before. */
    static void measureHeap(String files) throws IOException, InterruptedException {
        if (files == null) {
            throw new IllegalArgumentException("--measure-heap needs --rbldnsd-file");
        }
        ZoneData data = new ZoneData();
        long before = usedAfterGc();
        IndexBuilder b = new IndexBuilder();
        long t0 = System.nanoTime();
        long entries = 0;
        for (Path p : paths(files)) {
            entries += RbldnsdFile.load(p, b).entries();
        }
        data.replaceAll(1, b.build());
        long loadMillis = (System.nanoTime() - t0) / 1_000_000;
        b = null;
        long after = usedAfterGc();
        System.out.printf("entries=%d load_ms=%d heap_before=%d heap_after=%d bytes_per_entry=%.2f%n",
                entries, loadMillis, before, after, (after - before) / (double) Math.max(1, entries));
        java.lang.ref.Reference.reachabilityFence(data);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
