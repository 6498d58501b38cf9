package net.trustbl.gateway.greylist;

import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Greylisting state in PostgreSQL, shared by every gateway that uses the same database. Blocking
 * JDBC: call only from a worker thread. One atomic upsert per check, so two gateways seeing the
 * same triplet at once cannot both think it is new.
 */
@ApplicationScoped
public class GreylistStore {

    /** FULL: a new triplet of a network that has max-pending-per-network pending ones; deferred, not stored. */
    public enum Outcome { PASS, NEW, TOO_EARLY, FULL }

    /** The verdict and, for a deferral, how many seconds remain. */
    public record Result(Outcome outcome, long waitSeconds) {
    }

    /**
     * A triplet that is passed after this check counts as a pass of its client (towards
     * auto-allow) only when it has not counted within the retry window ({@code counted_at}):
     * every later RCPT of an already passed triplet would otherwise count again, and one bot could
     * reach {@code auto-allow-after} for its whole /24 with one retry and a few repeated RCPTs.
     * {@code counted_at} is set to this statement's {@code now()} exactly when it counts, which the
     * RETURNING clause tells from an older value (each check is its own transaction).
     */
    private static final String UPSERT = """
            INSERT INTO greylist_triplet (client_net, sender, recipient, first_seen, last_seen, passed)
            VALUES (?, ?, ?, now(), now(), false)
            ON CONFLICT (client_net, sender, recipient) DO UPDATE SET
              first_seen = CASE WHEN NOT greylist_triplet.passed
                                 AND greylist_triplet.first_seen < now() - make_interval(secs => ?)
                                THEN now() ELSE greylist_triplet.first_seen END,
              passed = greylist_triplet.passed
                       OR (greylist_triplet.first_seen <= now() - make_interval(secs => ?)
                           AND greylist_triplet.first_seen >= now() - make_interval(secs => ?)),
              counted_at = CASE WHEN (greylist_triplet.passed
                                      OR (greylist_triplet.first_seen <= now() - make_interval(secs => ?)
                                          AND greylist_triplet.first_seen >= now() - make_interval(secs => ?)))
                                     AND (greylist_triplet.counted_at IS NULL
                                          OR greylist_triplet.counted_at < now() - make_interval(secs => ?))
                                THEN now() ELSE greylist_triplet.counted_at END,
              last_seen = now()
            RETURNING passed, (xmax = 0) AS inserted,
                      GREATEST(0, CEIL(EXTRACT(EPOCH FROM (first_seen + make_interval(secs => ?) - now()))))::bigint AS wait,
                      (passed AND counted_at = now()) AS counts
            """;

    /**
     * True when the triplet is not stored yet and its network already has the maximum of pending
     * triplets; the count reads at most that many entries of the partial index (V3).
     */
    private static final String FULL = """
            SELECT NOT EXISTS (SELECT 1 FROM greylist_triplet WHERE client_net = ? AND sender = ? AND recipient = ?)
               AND (SELECT count(*) FROM (SELECT 1 FROM greylist_triplet WHERE client_net = ? AND NOT passed LIMIT ?) p) >= ?
            """;

    private final DataSource ds;
    private final GatewayConfig.Greylist conf;

    public GreylistStore(DataSource ds, GatewayConfig config) {
        this.ds = ds;
        this.conf = config.greylist();
    }

    /** Client network used as the first element of the triplet: /24 for IPv4, /64 for IPv6 (postgrey). */
    public static String clientNet(InetAddress ip) {
        return net.trustbl.gateway.protocol.ClientKeys.clientNet(ip);
    }

    public Result check(String clientNet, String sender, String recipient) throws SQLException {
        String from = sender.toLowerCase();
        String to = recipient.toLowerCase();
        try (Connection c = ds.getConnection()) {
            if (autoAllowed(c, clientNet)) {
                return new Result(Outcome.PASS, 0);
            }
            if (full(c, clientNet, from, to)) {
                return new Result(Outcome.FULL, Math.max(1, conf.delay().toSeconds()));
            }
            boolean passed;
            boolean inserted;
            boolean counts;
            long wait;
            long retryWindow = conf.retryWindow().toSeconds();
            long delay = conf.delay().toSeconds();
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                bind(ps, clientNet, from, to, retryWindow, delay, retryWindow, delay, retryWindow, retryWindow, delay);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    passed = rs.getBoolean(1);
                    inserted = rs.getBoolean(2);
                    wait = rs.getLong(3);
                    counts = rs.getBoolean(4);
                }
            }
            if (passed) {
                if (counts) {
                    try (PreparedStatement ps = c.prepareStatement("""
                            INSERT INTO greylist_client (client_net, passes, last_seen) VALUES (?, 1, now())
                            ON CONFLICT (client_net) DO UPDATE SET passes = greylist_client.passes + 1, last_seen = now()""")) {
                        ps.setString(1, clientNet);
                        ps.executeUpdate();
                    }
                }
                return new Result(Outcome.PASS, 0);
            }
            return new Result(inserted ? Outcome.NEW : Outcome.TOO_EARLY, Math.max(1, wait));
        }
    }

    private boolean full(Connection c, String clientNet, String sender, String recipient) throws SQLException {
        int max = conf.maxPendingPerNetwork();
        if (max <= 0) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(FULL)) {
            bind(ps, clientNet, sender, recipient, clientNet, max, max);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Sets the statement's parameters in order. */
    private static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
    }

    private boolean autoAllowed(Connection c, String clientNet) throws SQLException {
        if (conf.autoAllowAfter() <= 0) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT passes FROM greylist_client WHERE client_net = ?")) {
            ps.setString(1, clientNet);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) >= conf.autoAllowAfter();
            }
        }
    }

    /**
     * Deletes triplets and clients not seen for max-age, and triplets that never passed and were
     * first seen longer ago than the retry window (the upsert starts such a triplet over as new
     * anyway, so keeping it only costs space: most are spam that never retries); returns rows removed.
     */
    public int cleanup() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement t = c.prepareStatement("""
                     DELETE FROM greylist_triplet WHERE last_seen < now() - make_interval(secs => ?)
                       OR (NOT passed AND first_seen < now() - make_interval(secs => ?))""");
             PreparedStatement cl = c.prepareStatement("DELETE FROM greylist_client WHERE last_seen < now() - make_interval(secs => ?)")) {
            t.setLong(1, conf.maxAge().toSeconds());
            t.setLong(2, conf.retryWindow().toSeconds());
            cl.setLong(1, conf.maxAge().toSeconds());
            return t.executeUpdate() + cl.executeUpdate();
        }
    }
}
