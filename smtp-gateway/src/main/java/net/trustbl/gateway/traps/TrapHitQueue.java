package net.trustbl.gateway.traps;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import net.trustbl.gateway.config.GatewayConfig;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
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
 * or an outage of the service loses nothing: 5xx, 408, 429 and connection errors keep the rows and
 * retry with exponential backoff; 401/403 (the gateway's key is wrong or lacks trust) keep them too
 * and log an error. A content refusal drops only the refused items: the 422 problem's
 * {@code index} names it, otherwise the batch is halved until the bad ones are found. Hits older
 * than {@code gateway.traps.max-age} (7 days) are dropped. Enqueueing never blocks the SMTP session.
 */
@ApplicationScoped
public class TrapHitQueue {

    private static final Logger LOG = Logger.getLogger(TrapHitQueue.class);
    private static final int BATCH = 500;

    private final Vertx vertx;
    private final DataSource ds;
    private final GatewayConfig config;
    private final TrapHitClient client;
    private final AtomicBoolean sending = new AtomicBoolean();
    /** A flush was asked for while one ran: that one may have passed the new rows by, so run again. */
    private final AtomicBoolean askedWhileSending = new AtomicBoolean();
    private volatile int consecutiveFailures;

    public TrapHitQueue(Vertx vertx, DataSource ds, GatewayConfig config) {
        this.vertx = vertx;
        this.ds = ds;
        this.config = config;
        this.client = new TrapHitClient(config.trustService().url().orElse(""), config.trustService().key().orElse(""),
                config.trustService().timeout());
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
        if (config.trustService().url().isEmpty()) {
            return;
        }
        askedWhileSending.set(true);
        if (!sending.compareAndSet(false, true)) {
            return; // the running flush looks at askedWhileSending when it ends
        }
        askedWhileSending.set(false);
        vertx.executeBlocking(this::flush, false).onComplete(ar -> {
            sending.set(false);
            if (ar.failed()) {
                LOG.warn("trap hit flush failed", ar.cause());
            }
            if (askedWhileSending.get()) {
                flushSoon();
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

    /**
     * Blocking: sends due rows in batches until none is due or the service fails. Each batch first
     * drops expired rows and selects only hits younger than max-age, so an old hit queued while a
     * flush runs is never sent.
     */
    int flush() throws Exception {
        int sent = 0;
        while (true) {
            Timestamp cutoff = Timestamp.from(Instant.now().minus(config.traps().maxAge()));
            expire(cutoff);
            List<Row> rows = new ArrayList<>();
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT id, ip, trap_address, hit_at FROM trap_hit_queue WHERE next_attempt <= now() AND hit_at >= ? ORDER BY id LIMIT " + BATCH)) {
                ps.setTimestamp(1, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
                    }
                }
            }
            if (rows.isEmpty()) {
                return sent;
            }
            int done = send(rows);
            if (done < 0) {
                return sent;
            }
            sent += done;
        }
    }

    /**
     * Sends one batch. Returns the hits the service took, or -1 when it is unavailable (the rows
     * are postponed with backoff). A refused item never takes the good ones with it: a 422 that
     * names the item's {@code index} drops only that item; any other refusal of the content is
     * narrowed down by halving the batch until the refused single items are known.
     */
    private int send(List<Row> rows) throws SQLException {
        TrapHitClient.Answer r = client.post(rows.stream().map(x -> new TrapHitClient.Hit(x.ip(), x.trap(), x.at())).toList());
        int status = r.status();
        if (status >= 200 && status < 300) {
            delete(rows);
            consecutiveFailures = 0;
            return rows.size();
        }
        if (status == 401 || status == 403) {
            // the gateway's key is wrong or lacks trust: the hits are good, keep them until it is fixed
            long backoff = backoff();
            LOG.errorf("trust-service refused the gateway's key for trap hits (HTTP %d): gateway.trust-service.key "
                    + "is misconfigured or lacks trust (use a key with scope 'trap-feed' or a trusted member's key); %d hits kept, retry in %d s (dropped after %s)",
                    status, rows.size(), backoff, config.traps().maxAge());
            postpone(rows, backoff);
            return -1;
        }
        if (status == 0 || status == 408 || status == 429 || status >= 500 || status < 200 || (status >= 300 && status < 400)) {
            long backoff = backoff();
            LOG.warnf("trust-service unavailable for trap hits (HTTP %d); %d kept, retry in %d s", status, rows.size(), backoff);
            postpone(rows, backoff);
            return -1;
        }
        // 4xx about the content
        Integer index = r.refusedIndex();
        if (index != null && index >= 0 && index < rows.size()) {
            Row bad = rows.get(index);
            LOG.errorf("trust-service refused trap hit %s -> %s (HTTP %d: %s); that hit is dropped, the other %d are resent",
                    bad.ip(), bad.trap(), status, abbreviate(r.body()), rows.size() - 1);
            delete(List.of(bad));
            List<Row> rest = new ArrayList<>(rows);
            rest.remove((int) index);
            return rest.isEmpty() ? 0 : send(rest);
        }
        if (rows.size() == 1) {
            Row bad = rows.get(0);
            LOG.errorf("trust-service refused trap hit %s -> %s (HTTP %d: %s); dropped", bad.ip(), bad.trap(), status,
                    abbreviate(r.body()));
            delete(rows);
            return 0;
        }
        int half = rows.size() / 2;
        int first = send(new ArrayList<>(rows.subList(0, half)));
        if (first < 0) {
            return -1;
        }
        int second = send(new ArrayList<>(rows.subList(half, rows.size())));
        return second < 0 ? -1 : first + second;
    }

    private long backoff() {
        consecutiveFailures++;
        return Math.max(1, Math.min(config.traps().maxBackoff().toSeconds(),
                config.traps().retryInterval().toSeconds() * (1L << Math.min(20, consecutiveFailures - 1))));
    }

    /** Bounded retention: hits older than gateway.traps.max-age are no longer worth reporting. */
    private void expire(Timestamp cutoff) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM trap_hit_queue WHERE hit_at < ?")) {
            ps.setTimestamp(1, cutoff);
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.errorf("%d trap hits older than %s were never accepted by the trust-service and are dropped",
                        n, config.traps().maxAge());
            }
        }
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return "no detail";
        }
        String b = body.replaceAll("\\s+", " ").trim();
        return b.length() > 300 ? b.substring(0, 300) + "..." : b;
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
