package net.trustbl.dns.standalone;

import net.trustbl.client.TrustServiceHttp;
import net.trustbl.dns.traffic.Busiest;
import net.trustbl.dns.traffic.TrafficCounters;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends a standalone responder's lookup counts to the central service ({@code POST
 * /api/v1/traffic} with an admin key), so that the trust engine's volume signal ("a big sender is
 * looked up from many networks") hears about the queries that replicas near the mail servers
 * answer. The counts are the same as the built-in responder's: one per queried address and client
 * network per interval ({@link TrafficCounters}).
 * The busiest {@value #MAX_ADDRESSES} addresses go each interval; counts that could not be sent
 * are kept (bounded) and sent with the next interval's.
 * The request goes through {@link TrustServiceHttp}, the one client to the service (the gateway's
 * too): {@value #CONNECT_TIMEOUT_SECONDS} s to connect, {@value #REQUEST_TIMEOUT_SECONDS} s for an
 * upload (a full batch is large), the key as a bearer token.
 */
public final class TrafficUploader implements AutoCloseable {

    static final int MAX_ADDRESSES = Busiest.MAX_ADDRESSES;
    /** Counts kept across failed uploads at most (the busiest win). */
    static final int MAX_PENDING = 50_000;
    static final String PATH = "/api/v1/traffic";
    static final int CONNECT_TIMEOUT_SECONDS = 5;
    static final int REQUEST_TIMEOUT_SECONDS = 15;

    private final TrafficCounters counters;
    private final TrustServiceHttp service;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trustbl-dns-traffic-upload");
        t.setDaemon(true);
        return t;
    });
    private Map<String, Long> pending = new HashMap<>();
    private volatile String lastError;

    public TrafficUploader(TrafficCounters counters, String serviceUrl, String key) {
        this.counters = counters;
        this.service = new TrustServiceHttp(serviceUrl, key,
                Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS), Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS));
        service.request(PATH); // a malformed --traffic-url fails here, at start, not at every upload
    }

    public void start(Duration every) {
        timer.scheduleWithFixedDelay(this::uploadQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void uploadQuietly() {
        try {
            uploadOnce();
        } catch (RuntimeException e) {
            lastError = e.toString();
        }
    }

    /** Drains the counters and sends the busiest addresses; returns how many were accepted (0 on failure). */
    public synchronized int uploadOnce() {
        counters.drain((ip, n) -> pending.merge(ip, n, Long::sum), (queryKey, n) -> { });
        if (pending.isEmpty()) {
            return 0;
        }
        List<Map.Entry<String, Long>> busiest = Busiest.of(pending, pending.size());
        List<Map.Entry<String, Long>> batch = busiest.subList(0, Math.min(MAX_ADDRESSES, busiest.size()));
        StringBuilder json = new StringBuilder(batch.size() * 32).append('[');
        for (int i = 0; i < batch.size(); i++) {
            // addresses come from the responder's own formatting (digits, dots, colons, hex): no escaping needed
            json.append(i == 0 ? "" : ",").append("{\"ip\":\"").append(batch.get(i).getKey())
                    .append("\",\"lookups\":").append(batch.get(i).getValue()).append('}');
        }
        json.append(']');
        HttpRequest request = service.request(PATH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.toString())).build();
        try {
            HttpResponse<String> answer = service.send(request);
            if (answer.statusCode() == 202) {
                Map<String, Long> rest = new HashMap<>();
                for (Map.Entry<String, Long> e : busiest.subList(batch.size(), busiest.size())) {
                    rest.put(e.getKey(), e.getValue());
                }
                pending = trim(rest);
                lastError = null;
                return batch.size();
            }
            lastError = "HTTP " + answer.statusCode() + " " + answer.body();
            if (answer.statusCode() == 400 || answer.statusCode() == 413 || answer.statusCode() == 422) {
                pending = trim(new HashMap<>()); // the service will never take these: do not resend them
            }
        } catch (java.io.IOException e) {
            lastError = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending = trim(pending);
        return 0;
    }

    /** Why the last upload failed, or null. */
    public String lastError() {
        return lastError;
    }

    private static Map<String, Long> trim(Map<String, Long> counts) {
        if (counts.size() <= MAX_PENDING) {
            return counts;
        }
        Map<String, Long> kept = new HashMap<>();
        for (Map.Entry<String, Long> e : Busiest.of(counts, MAX_PENDING)) {
            kept.put(e.getKey(), e.getValue());
        }
        return kept;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        uploadQuietly(); // what was counted since the last interval
    }
}
