package net.trustbl.cluster;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import net.trustbl.common.WebSecret;
import org.jboss.logging.Logger;

/**
 * The client address that per-client limits count, also for writes a standby forwarded to the
 * writer. A standby states the address it saw in {@value #HEADER}, signed with the server key that
 * all replicas share through their database ({@link WebSecret}, under its own prefix) and dated;
 * the writer believes the header only when the signature holds and the date is recent, so a client
 * can neither forge it nor choose its address with {@code X-Forwarded-For} (which standbys replace,
 * never append to). Without a valid header the address is the connection's, as Quarkus resolved it
 * (behind a configured trusted proxy: from that proxy's header).
 */
@ApplicationScoped
public class ClientAddress {

    private static final Logger LOG = Logger.getLogger(ClientAddress.class);
    public static final String HEADER = "X-TrustBL-Client";
    /** A signed address older (or newer) than this is ignored: replicas' clocks agree far better. */
    static final long MAX_SKEW_SECONDS = 300;

    @Inject
    WebSecret secret;

    /** The address of the client behind this request. */
    public String of(HttpServerRequest request) {
        if (request == null) {
            return "unknown";
        }
        String stated = request.getHeader(HEADER);
        if (stated != null) {
            String verified = verify(stated, System.currentTimeMillis() / 1000);
            if (verified != null) {
                return verified;
            }
        }
        SocketAddress a = request.remoteAddress();
        return a == null || a.hostAddress() == null ? "unknown" : a.hostAddress();
    }

    /** The header value a standby sends with a forwarded write: {@code <address> <epoch seconds> <signature>}. */
    public String sign(String address) {
        long now = System.currentTimeMillis() / 1000;
        return address + " " + now + " " + secret.sign(signed(address, now));
    }

    /** The stated address when the value is well-formed, recent and signed with the shared key; else null. */
    String verify(String value, long nowSeconds) {
        String[] parts = value.trim().split(" ");
        if (parts.length != 3 || parts[0].isEmpty() || parts[0].length() > 64) {
            return null;
        }
        long at;
        try {
            at = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (Math.abs(nowSeconds - at) > MAX_SKEW_SECONDS) {
            return null;
        }
        return secret.verify(signed(parts[0], at), parts[2]) ? parts[0] : null;
    }

    private static String signed(String address, long at) {
        return "cluster-client:" + address + ":" + at;
    }

    /** Loads the key now: the forwarder signs on the event loop, where reading the database must not happen. */
    void warmUp(@Observes StartupEvent ev) {
        try {
            secret.sign("warm-up");
        } catch (RuntimeException e) {
            LOG.warnf("the server key could not be loaded yet (%s); forwarded writes will load it", e.toString());
        }
    }
}
