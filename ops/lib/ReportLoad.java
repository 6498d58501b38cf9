import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Report load generator for the ops drills: N threads post single reports to
 * {@code POST /api/v1/reports} at a fixed concurrency (optionally paced to a total rate), rotate
 * over the given API keys, and record every acknowledged report id so that a drill can prove it is
 * still stored afterwards. Run with the JDK's source launcher (no build):
 *
 * <pre>java ops/lib/ReportLoad.java --url http://127.0.0.1:8080 --keys keys.txt --seconds 30 \
 *      --concurrency 16 [--rate 500] [--ips pool.txt | --random-ips | --distinct N] [--batch N]
 *      [--acked acked.txt] [--stop-file f]</pre>
 *
 * {@code --batch N} posts arrays of N reports per request (the API's batch form); {@code --distinct N}
 * reports N distinct addresses (11.0.0.1 upwards, each once) and then stops, for the memory benchmark.
 *
 * Output (stdout, last): key=value lines: sent (requests), status_NNN counts (requests), reports_accepted, errors (no answer: connection
 * refused/reset/timeout), retry_after_NNN (answers with that status carrying Retry-After), accepted_per_s and latency
 * percentiles (ms) of the 202s. A per-second timeline goes to stderr every {@code --tick} seconds.
 */
public final class ReportLoad {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String url = o.getOrDefault("url", "http://127.0.0.1:8080") + "/api/v1/reports";
        List<String> keys = Files.readAllLines(Path.of(required(o, "keys"))).stream().filter(s -> !s.isBlank()).toList();
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "30"));
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "16"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "0"));
        int tick = Integer.parseInt(o.getOrDefault("tick", "5"));
        List<String> pool = o.containsKey("ips") ? Files.readAllLines(Path.of(o.get("ips"))).stream()
                .filter(s -> !s.isBlank()).toList() : List.of();
        int batch = Integer.parseInt(o.getOrDefault("batch", "1"));
        long distinct = Long.parseLong(o.getOrDefault("distinct", "0"));
        AtomicLong nextDistinct = new AtomicLong();
        LongAdder reportsAccepted = new LongAdder();
        BufferedWriter acked = o.containsKey("acked") ? Files.newBufferedWriter(Path.of(o.get("acked"))) : null;

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        Map<Integer, LongAdder> retryAfter = new ConcurrentHashMap<>();
        LongAdder sent = new LongAdder();
        AtomicLong lastTick = new AtomicLong();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        // --stop-file: the run ends early once this file exists (a drill ends the load without
        // killing us, so that the acknowledged ids and the summary are still written)
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        if (o.containsKey("stop-file")) {
            Path stopFile = Path.of(o.get("stop-file"));
            Thread watcher = new Thread(() -> {
                while (!stop.get() && System.nanoTime() < end) {
                    if (Files.exists(stopFile)) {
                        stop.set(true);
                    }
                    sleepNanos(100_000_000);
                }
            }, "stop-file-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        // each thread keeps its own pace: concurrency / rate seconds between its requests
        long interval = rate > 0 ? (long) (concurrency / rate * 1e9) : 0;

        Thread[] threads = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            final int me = t;
            threads[t] = new Thread(() -> {
                Random rnd = new Random(1000L + me);
                long[] lat = new long[1 << 14];
                int n = 0;
                long next = System.nanoTime();
                for (long i = 0; System.nanoTime() < end && !stop.get(); i++) {
                    if (interval > 0) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            sleepNanos(wait);
                        }
                        next += interval;
                        if (System.nanoTime() >= end) {
                            break;
                        }
                    }
                    int items = batch;
                    long first = 0;
                    if (distinct > 0) {
                        first = nextDistinct.getAndAdd(batch);
                        if (first >= distinct) {
                            break;
                        }
                        items = (int) Math.min(batch, distinct - first);
                    }
                    String[] ips = new String[items];
                    for (int j = 0; j < items; j++) {
                        ips[j] = distinct > 0 ? distinctPublicIp(first + j)
                                : pool.isEmpty() ? randomPublicIp(rnd) : pool.get(rnd.nextInt(pool.size()));
                    }
                    String key = keys.get((int) ((me + i) % keys.size()));
                    HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(20))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body(ips, batch > 1)))
                            .build();
                    long t0 = System.nanoTime();
                    sent.increment();
                    try {
                        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                        long micros = (System.nanoTime() - t0) / 1000;
                        statuses.computeIfAbsent(res.statusCode(), k -> new LongAdder()).increment();
                        if (res.headers().firstValue("Retry-After").isPresent()) {
                            retryAfter.computeIfAbsent(res.statusCode(), k -> new LongAdder()).increment();
                        }
                        if (res.statusCode() == 202) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = micros;
                            reportsAccepted.add(items);
                            if (acked != null) {
                                Matcher m = ID.matcher(res.body());
                                synchronized (acked) {
                                    for (int j = 0; j < items && m.find(); j++) {
                                        acked.write(m.group(1) + " " + ips[j] + "\n");
                                    }
                                }
                            }
                        }
                    } catch (IOException e) {
                        errors.increment();
                        sleepNanos(50_000_000); // do not spin while the service is away
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    timeline(tick, start, lastTick, sent, statuses, errors);
                }
                latencies[me] = lat;
                counts[me] = n;
            }, "load-" + t);
            threads[t].start();
        }
        for (Thread th : threads) {
            th.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (acked != null) {
            acked.close();
        }
        long[] all = merge(latencies, counts);
        long ok = statuses.getOrDefault(202, new LongAdder()).sum();
        StringBuilder out = new StringBuilder();
        out.append("seconds=").append(String.format("%.1f", elapsed)).append('\n');
        out.append("concurrency=").append(concurrency).append('\n');
        out.append("sent=").append(sent.sum()).append('\n');
        new TreeMap<>(statuses).forEach((k, v) -> out.append("status_").append(k).append('=').append(v.sum()).append('\n'));
        out.append("errors=").append(errors.sum()).append('\n');
        new TreeMap<>(retryAfter).forEach((k, v) -> out.append("retry_after_").append(k).append('=').append(v.sum()).append('\n'));
        out.append("accepted=").append(ok).append('\n');
        out.append("reports_accepted=").append(reportsAccepted.sum()).append('\n');
        out.append("reports_accepted_per_s=").append(String.format("%.0f", reportsAccepted.sum() / elapsed)).append('\n');
        out.append("accepted_per_s=").append(String.format("%.0f", ok / elapsed)).append('\n');
        out.append("p50_ms=").append(pct(all, 50)).append('\n');
        out.append("p99_ms=").append(pct(all, 99)).append('\n');
        out.append("max_ms=").append(all.length == 0 ? "0" : String.format("%.1f", all[all.length - 1] / 1000.0)).append('\n');
        System.out.print(out);
    }

    private static void timeline(int tick, long start, AtomicLong lastTick, LongAdder sent,
                                 Map<Integer, LongAdder> statuses, LongAdder errors) {
        long sec = (System.nanoTime() - start) / 1_000_000_000L;
        long prev = lastTick.get();
        if (sec >= prev + tick && lastTick.compareAndSet(prev, sec)) {
            StringBuilder b = new StringBuilder("  load t=" + sec + "s sent=" + sent.sum());
            new TreeMap<>(statuses).forEach((k, v) -> b.append(' ').append(k).append('=').append(v.sum()));
            b.append(" errors=").append(errors.sum());
            System.err.println(b);
        }
    }

    /** A random address in 11.0.0.0-99.255.255.255: all public unicast (no special-purpose block there). */
    static String randomPublicIp(Random r) {
        return (11 + r.nextInt(89)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    /** The n-th of a run of distinct public addresses: 11.0.0.1, 11.0.0.2, … (last octet 1-254). */
    static String distinctPublicIp(long n) {
        long host = n % 254 + 1;
        long net = n / 254;
        return (11 + net / 65536) + "." + (net / 256 % 256) + "." + (net % 256) + "." + host;
    }

    /** One report, or the API's array form when batching. */
    private static String body(String[] ips, boolean array) {
        StringBuilder b = new StringBuilder(array ? "[" : "");
        for (int j = 0; j < ips.length; j++) {
            b.append(j == 0 ? "" : ",").append("{\"ip\":\"").append(ips[j]).append("\",\"verdict\":\"spam\"}");
        }
        return b.append(array ? "]" : "").toString();
    }

    private static long[] merge(long[][] lat, int[] counts) {
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < lat.length; i++) {
            if (lat[i] != null) {
                System.arraycopy(lat[i], 0, all, at, counts[i]);
                at += counts[i];
            }
        }
        Arrays.sort(all);
        return all;
    }

    private static String pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return "0";
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return String.format("%.1f", sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0);
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            if (k.equals("random-ips")) {
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for --" + k);
            }
            o.put(k, args[++i]);
        }
        return o;
    }

    private static String required(Map<String, String> o, String k) {
        String v = o.get(k);
        if (v == null) {
            throw new IllegalArgumentException("--" + k + " is required");
        }
        return v;
    }
}
