package net.trustbl.dns.standalone;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.server.ZoneFreshness;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.TSIG;

/**
 * The responder on its own, without a database. Every {@code trustbl.dns.*} key can be given as
 * {@code --key value} (without the prefix; {@link StandaloneOptions} lists them), as a system
 * property or as an environment variable. Data comes from rbldnsd files ({@code --rbldnsd-file a,b},
 * reloaded when they change) or from a primary ({@code --primary host:port}, AXFR then IXFR on
 * NOTIFY and on the SOA refresh timer). Usage errors exit 2 with one line, configuration errors 1.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // dnsjava logs through SLF4J; without a provider SLF4J warns on every start
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        // Netty's leak detector samples one buffer in 128 and records a stack trace for it: per-query
        // cost on the UDP path (seen in perf), for answer buffers that Netty itself releases on write.
        // An operator can still turn it on with -Dio.netty.leakDetection.level=...
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        Map<String, String> props;
        try {
            props = StandaloneCommandLine.parse(args);
        } catch (StandaloneCommandLine.UsageException e) {
            System.err.println(e.getMessage());
            System.exit(StandaloneCommandLine.USAGE_ERROR);
            return;
        }
        if (props.containsKey("trustbl.dns.help")) {
            StandaloneCommandLine.printHelp(System.out);
            return;
        }
        Function<String, String> lookup = k -> props.getOrDefault(k, System.getProperty(k));
        try {
            if (props.containsKey("trustbl.dns.check-config")) {
                System.exit(ConfigCheck.run(lookup, System.getenv(), System.getProperties(), System.out));
            } else if (props.containsKey("trustbl.dns.self-test")) {
                System.exit(SelfTest.run(System.out) ? 0 : 1);
            } else if (props.containsKey("trustbl.dns.measure-heap")) {
                measureHeap(StandaloneSettings.from(lookup).files());
            } else {
                serve(StandaloneSettings.from(lookup).requireDataSource());
            }
        } catch (IllegalArgumentException | IOException e) {
            // a configuration the responder cannot run with: one line, no stack trace
            System.err.println(StandaloneCommandLine.NAME + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static void serve(StandaloneSettings s) throws IOException, InterruptedException {
        for (String u : StandaloneSettings.unknownKeys(System.getenv(), System.getProperties())) {
            System.err.println("warning: unknown setting ignored: " + u + " (--check-config fails on it)");
        }
        DnsConfig config = s.config();
        ZoneData data = new ZoneData();
        // fail closed: SERVFAIL for names in the zones until data is loaded, and after the SOA
        // expire without a successful refresh (a secondary takes its primary's expire)
        ZoneFreshness freshness = ZoneFreshness.failClosed(Duration.ofSeconds(config.soaExpire()));
        FileWatcher watcher = null;
        if (!s.files().isEmpty()) {
            // load before binding: a replica must never answer "not listed" just because it is starting
            watcher = new FileWatcher(s.files(), data, freshness);
            watcher.loadNow();
        }
        // lookup counts go to the central service when it is named (the volume signal), else counting is off
        TrafficCounters counters = s.trafficUrl() != null ? new TrafficCounters(s.traffic()) : TrafficCounters.disabled();
        ZoneData allowData = new ZoneData();
        FileWatcher allowWatcher = null;
        if (!s.allowFiles().isEmpty()) {
            // a stale allow zone only spares greylisting: it never fails closed
            allowWatcher = new FileWatcher(s.allowFiles(), allowData, ZoneFreshness.always());
            allowWatcher.loadNow();
        }
        DnsServer server = DnsServer.start(config, data, allowData, counters, freshness);
        System.out.println("trustbl dns-responder serving " + config.zone() + " and " + config.allowZone() + " on " + config.bindHost() + ":"
                + server.boundPort() + " (tcp; udp: " + server.udpDescription() + ")");
        List<AutoCloseable> closers = new ArrayList<>();
        if (counters.enabled()) {
            TrafficUploader uploader = new TrafficUploader(counters, s.trafficUrl(), s.trafficKey());
            uploader.start(s.trafficEvery());
            System.out.println("lookup counts go to " + s.trafficUrl() + "/api/v1/traffic every " + s.trafficEvery());
            closers.add(uploader);
        }
        if (config.metricsBind() != null) {
            MetricsEndpoint metrics = MetricsEndpoint.start(DnsConfig.hostPort(config.metricsBind(), 9153), server.metrics(), data, freshness);
            System.out.println("metrics (Prometheus text) on http://" + config.metricsBind() + "/metrics, readiness on /ready");
            closers.add(metrics);
        }
        if (allowWatcher != null) {
            allowWatcher.start();
            closers.add(allowWatcher);
        }
        if (watcher != null) {
            watcher.start();
            closers.add(watcher);
        } else {
            InetSocketAddress p = s.primary();
            ZoneFollower f = new ZoneFollower(p.getHostString(), p.getPort(), new ZoneRecords(config), data, s.tsig(), freshness,
                    s.maxTransferRecords());
            // the allow zone is transferred like the list; a stale allow zone only spares greylisting, so it does not fail closed
            ZoneFollower allow = new ZoneFollower(p.getHostString(), p.getPort(), ZoneRecords.allowZone(config), allowData, s.tsig(),
                    ZoneFreshness.always(), s.maxTransferRecords());
            InetAddress pa = p.getAddress();
            String from = pa == null ? "127.0.0.1" : pa.getHostAddress();
            // with --tsig a NOTIFY must also be signed with the key; each follower starts at most one refresh per 5 s
            server.onNotify(List.of(from), a -> {
                f.notified();
                allow.notified();
            });
            f.start();
            allow.start();
            closers.add(f);
            closers.add(allow);
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

    static List<Path> paths(String files) {
        List<Path> out = new ArrayList<>();
        for (String f : files.split(",")) {
            if (!f.isBlank()) {
                out.add(Path.of(f.trim()));
            }
        }
        return out;
    }

    /** Prints heap bytes per entry: used heap after full GCs with the data loaded minus before. */
    static void measureHeap(List<Path> files) throws IOException, InterruptedException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--measure-heap needs --rbldnsd-file");
        }
        ZoneData data = new ZoneData();
        long before = usedAfterGc();
        IndexBuilder b = new IndexBuilder();
        long t0 = System.nanoTime();
        long entries = 0;
        for (Path p : files) {
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
