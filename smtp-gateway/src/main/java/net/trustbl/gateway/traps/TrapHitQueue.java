package net.trustbl.gateway.traps;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import net.trustbl.gateway.config.GatewayConfig;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Spam-trap hits waiting to be reported to the trust-service. Kept in the database, so a restart
 * or an outage of the service loses nothing: 5xx, 429 and connection errors keep the rows and
 * retry with exponential backoff; other 4xx drop them with a log line (the service will never
 * take them). Enqueueing never blocks the SMTP session.
 */
@ApplicationScoped
public class TrapHitQueue {

    private static final Logger LOG = Logger.getLogger(TrapHitQueue.class);
    private static final int BATCH = 500;

    private final Vertx vertx;
    private final DataSource ds;
    private final GatewayConfig config;
    private final HttpClient http;
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile int consecutiveFailures;

    public TrapHitQueue(Vertx vertx, DataSource ds, GatewayConfig config) {
        this.vertx = vertx;
        this.ds = ds;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.trustService().timeout()).build();
    }

    void onStart(@Observes StartupEvent ev) {
        vertx.setPeriodic(config.traps().retryInterval().toMillis(), t -> flushSoon());
    }

    /** Records a hit (on a worker) and triggers a send. */
    public void enqueue(String ip, String trapAddress) {
        Instant at = Instant.now();
        vertx.executeBlocking(() -> {
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "INSERT INTO trap_hit_queue (ip, trap_address, hit_at, next_attempt) VALUES (?, ?, ?, now())")) {
                ps.setString(1, ip);
                ps.setString(2, trapAddress);
                ps.setTimestamp(3, Timestamp.from(at));
                ps.executeUpdate();
            }
            return null;
        }, false).onSuccess(v -> flushSoon()).onFailure(e -> LOG.errorf(e, "could not queue trap hit %s -> %s", ip, trapAddress));
    }

    public void flushSoon() {
        if (config.trustService().url().isEmpty() || !sending.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(this::flush, false).onComplete(ar -> {
            sending.set(false);
            if (ar.failed()) {
                LOG.warn("trap hit flush failed", ar.cause());
            }
        });
    }

    /** Pending rows (for the console and tests). */
    public int pending() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trap_hit_queue");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private record Row(long id, String ip, String trap, Instant at) {
    }

    /** Blocking: sends due rows in batches until none is due or the service fails. */
    int flush() throws Exception {
        int sent = 0;
        while (true) {
            List<Row> rows = new ArrayList<>();
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT id, ip, trap_address, hit_at FROM trap_hit_queue WHERE next_attempt <= now() ORDER BY id LIMIT " + BATCH);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
                }
            }
            if (rows.isEmpty()) {
                return sent;
            }
            int status = post(rows);
            if (status >= 200 && status < 300) {
                delete(rows);
                sent += rows.size();
                consecutiveFailures = 0;
            } else if (status >= 400 && status < 500 && status != 429) {
                LOG.errorf("trust-service refused %d trap hits with HTTP %d; dropped", rows.size(), status);
                delete(rows);
            } else {
                consecutiveFailures++;
                long backoff = Math.min(config.traps().maxBackoff().toSeconds(),
                        config.traps().retryInterval().toSeconds() * (1L << Math.min(20, consecutiveFailures - 1)));
                LOG.warnf("trust-service unavailable for trap hits (HTTP %d); %d kept, retry in %d s", status, rows.size(), backoff);
                postpone(rows, backoff);
                return sent;
            }
        }
    }

    /** HTTP status, or 0 for a connection failure. */
    private int post(List<Row> rows) {
        StringBuilder json = new StringBuilder("[");
        for (Row r : rows) {
            json.append(json.length() > 1 ? "," : "").append("{\"ip\":\"").append(escape(r.ip))
                    .append("\",\"trapAddress\":\"").append(escape(r.trap))
                    .append("\",\"at\":\"").append(r.at).append("\"}");
        }
        json.append(']');
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(config.trustService().url().get().replaceAll("/+$", "") + "/api/v1/trap-hits"))
                    .timeout(config.trustService().timeout())
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + config.trustService().key().orElse(""))
                    .POST(HttpRequest.BodyPublishers.ofString(json.toString()))
                    .build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            return 0;
        }
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void delete(List<Row> rows) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM trap_hit_queue WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", rows.stream().map(Row::id).toArray()));
            ps.executeUpdate();
        }
    }

    private void postpone(List<Row> rows, long seconds) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE trap_hit_queue SET attempts = attempts + 1, next_attempt = now() + make_interval(secs => ?) WHERE id = ANY (?)")) {
            ps.setLong(1, seconds);
            ps.setArray(2, c.createArrayOf("bigint", rows.stream().map(Row::id).toArray()));
            ps.executeUpdate();
        }
    }
}
