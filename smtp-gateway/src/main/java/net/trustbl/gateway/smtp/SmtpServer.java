package net.trustbl.gateway.smtp;

import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import net.trustbl.gateway.budget.InFlightBudget;
import net.trustbl.gateway.budget.SpoolDisk;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.config.HostPort;
import net.trustbl.gateway.dns.ClientNames;
import net.trustbl.gateway.filter.FilterChain;
import net.trustbl.gateway.intake.IntakeClient;
import net.trustbl.gateway.protocol.Reply;
import net.trustbl.gateway.proxy.DownstreamCache;
import net.trustbl.gateway.proxy.DownstreamConnection;
import net.trustbl.gateway.stats.GatewayStats;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SMTP listener: one Vert.x verticle per event loop shares the port; connection limits (total
 * and per client IP) are enforced before a session exists, so a flood costs a write and a close.
 */
@ApplicationScoped
public class SmtpServer {

    private static final Logger LOG = Logger.getLogger(SmtpServer.class);

    final Vertx vertx;
    final GatewayConfig config;
    final GatewayStats stats;
    final IntakeClient intake;
    final ClientNames clientNames;
    /** Bytes of messages all sessions hold in memory (gateway.limits.in-flight-bytes). */
    final InFlightBudget budget;
    /** Messages above gateway.limits.spool-threshold, on disk while their transaction lasts. */
    final Spool spool;
    /**
     * The configuration snapshot new sessions start with: installed before the server listens
     * (StartChain) and swapped by a reload (GatewayReloader).
     */
    private volatile FilterChain chain;
    private NetClient downstreamClient;
    private HostPort downstream;
    private KeyCertOptions keyCert;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final List<String> deployments = new ArrayList<>();
    private volatile int port;
    /** Whether the downstream's latest EHLO offered DSN (learned at start and on every connection). */
    private volatile boolean downstreamDsn;

    public SmtpServer(Vertx vertx, GatewayConfig config, GatewayStats stats, IntakeClient intake,
                      ClientNames clientNames, SpoolDisk spoolDisk) {
        // the beans are application-scoped singletons: calling them directly spares a context lookup
        // per call of the client proxy, and these calls are made for every command of every session
        this.clientNames = ClientProxy.unwrap(clientNames);
        this.budget = new InFlightBudget(config.limits().inFlightBytes().asLongValue());
        this.spool = new Spool(Path.of(config.dataDir(), "message-spool"), config.limits().spoolThreshold().asLongValue(),
                ClientProxy.unwrap(spoolDisk).bytes());
        this.vertx = vertx;
        this.config = config;
        this.stats = ClientProxy.unwrap(stats);
        this.intake = ClientProxy.unwrap(intake);
    }

    void onStart(@Observes @Priority(100) StartupEvent ev) throws Exception {
        downstream = HostPort.parse(config.downstream(), 25);
        downstreamClient = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) config.limits().downstreamConnectTimeout().toMillis())
                .setTcpNoDelay(true));
        if (config.tls().enabled()) {
            keyCert = TlsSupport.keyCert(config.tls().certPath(), config.tls().keyPath(), Path.of(config.dataDir()),
                    config.hostname());
        }
        spool.prepare();
        HostPort listen = HostPort.parse(config.listen(), 25);
        int p = listen.port() == 0 ? freePort(listen.host()) : listen.port();
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        String id = vertx.deployVerticle(() -> new Listener(listen.host(), p), new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        deployments.add(id);
        if (!intakeMode() && config.dsn().enabled()) {
            // learn the downstream's extensions (DSN) before the first client asks; never blocks start
            openDownstream().onSuccess(DownstreamConnection::quit)
                    .onFailure(e -> LOG.infof("downstream %s not reachable at start: %s", downstream, e.getMessage()));
        }
        port = p;
        LOG.infof("SMTP gateway (%s mode) listening on %s:%d, %d event loops, downstream %s, filters %s",
                config.mode(), listen.host(), p, instances, downstream, config.filters());
    }

    void onStop(@Observes ShutdownEvent ev) {
        for (String id : deployments) {
            try {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("undeploy failed", e);
            }
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    /** The port the SMTP server listens on (useful when configured as 0). */
    public int port() {
        return port;
    }

    public FilterChain chain() {
        return chain;
    }

    /** Puts a new chain in place for sessions that start from now on; running sessions keep theirs. */
    public void install(FilterChain next) {
        chain = next;
    }

    boolean tlsAvailable() {
        return keyCert != null;
    }

    boolean intakeMode() {
        return "intake".equalsIgnoreCase(config.mode());
    }

    boolean normalizeSmuggling() {
        return "normalize".equalsIgnoreCase(config.smuggling().mode());
    }

    long downstreamTimeout() {
        return config.limits().downstreamTimeout().toMillis();
    }

    long downstreamDataTimeout() {
        return config.limits().downstreamDataTimeout().toMillis();
    }

    /** Idle downstream connections per event loop (each session uses the cache of its own loop). */
    private final ThreadLocal<DownstreamCache> downstreamCaches = ThreadLocal.withInitial(this::newDownstreamCache);

    private DownstreamCache newDownstreamCache() {
        return new DownstreamCache(vertx, config.limits().downstreamCacheSize(), config.limits().downstreamCacheIdle().toMillis(),
                config.limits().downstreamReuseCount(), config.limits().downstreamReuseTime().toMillis());
    }

    /** This event loop's cache of idle downstream connections. */
    DownstreamCache downstreamCache() {
        return downstreamCaches.get();
    }

    Future<DownstreamConnection> openDownstream() {
        return DownstreamConnection.open(vertx, downstreamClient, downstream.host(), downstream.port(),
                config.hostname(), downstreamTimeout()).onSuccess(ds -> downstreamDsn = ds.dsnOffered());
    }

    boolean downstreamOffersDsn() {
        return downstreamDsn;
    }

    private void accept(NetSocket socket, Set<SmtpSession> local) {
        InetAddress ip = clientIp(socket);
        String key = connectionKey(ip);
        if (connections.incrementAndGet() > config.limits().maxConnections()) {
            connections.decrementAndGet();
            refuse(socket, "421 4.7.0 Too many connections, try again later\r\n");
            return;
        }
        // compute/computeIfPresent are atomic per key, so a concurrent release cannot lose a count
        int[] now = new int[1];
        perIp.compute(key, (k, c) -> {
            AtomicInteger count = c == null ? new AtomicInteger() : c;
            now[0] = count.incrementAndGet();
            return count;
        });
        if (now[0] > config.limits().maxConnectionsPerIp()) {
            release(key);
            connections.decrementAndGet();
            refuse(socket, "421 4.7.0 Too many connections from your address, try again later\r\n");
            return;
        }
        SmtpSession session = new SmtpSession(this, socket, ip);
        local.add(session);
        stats.sessionOpened();
        session.sessionKey = key;
        session.localSet = local;
        session.start();
    }

    /**
     * What {@code max-connections-per-ip} counts: an IPv4 address, or an IPv6 /64 (a host is given
     * a whole /64, so per address one host could take every connection; Postfix's
     * {@code smtpd_client_ipv6_prefix_length} does the same).
     */
    public static String connectionKey(InetAddress ip) {
        return net.trustbl.gateway.protocol.ClientKeys.connectionKey(ip);
    }

    private static void refuse(NetSocket socket, String reply) {
        socket.write(reply);
        socket.close();
    }

    private void release(String key) {
        perIp.computeIfPresent(key, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    void sessionEnded(SmtpSession session) {
        if (session.localSet.remove(session)) {
            connections.decrementAndGet();
            release(session.sessionKey);
            stats.sessionClosed();
        }
    }

    private static InetAddress clientIp(NetSocket socket) {
        try {
            return InetAddress.getByName(socket.remoteAddress().hostAddress());
        } catch (UnknownHostException e) {
            // a socket address is always a literal; this cannot happen
            throw new IllegalStateException(e);
        }
    }

    /** One per event loop; owns its sessions and sweeps them for timeouts on its own thread. */
    private final class Listener extends AbstractVerticle {
        private final String host;
        private final int listenPort;
        private final Set<SmtpSession> sessions = new HashSet<>();

        Listener(String host, int listenPort) {
            this.host = host;
            this.listenPort = listenPort;
        }

        @Override
        public void start(Promise<Void> started) {
            NetServerOptions options = new NetServerOptions().setTcpNoDelay(true).setAcceptBacklog(4096)
                    .setReuseAddress(true);
            if (keyCert != null) {
                options.setKeyCertOptions(keyCert);
            }
            vertx.createNetServer(options)
                    .connectHandler(socket -> accept(socket, sessions))
                    .listen(listenPort, host)
                    .<Void>mapEmpty()
                    .onComplete(started);
            vertx.setPeriodic(1000, t -> {
                long now = System.nanoTime();
                for (SmtpSession s : new ArrayList<>(sessions)) {
                    s.sweepIdle(now);
                    if (s.timedOut(now)) {
                        s.closeWith(s.own(Reply.of(421, "4.4.2", config.hostname().toLowerCase(Locale.ROOT)
                                + " Timeout, closing connection")));
                    }
                }
            });
        }
    }
}
