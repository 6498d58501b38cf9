package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.index.ZoneSnapshot;
import net.trustbl.dns.traffic.TrafficCounters;
import org.xbill.DNS.Message;

/**
 * The DNSBL server: UDP on a few threads, each with its own socket on the same port
 * (SO_REUSEPORT, so the kernel spreads clients without a shared lock), through native epoll with
 * batched system calls ({@link EpollUdp}) or the JDK ({@link NioUdp}), and TCP (RFC 7766:
 * length-prefixed, several queries per connection, idle timeout, bounded connection count).
 */
public final class DnsServer implements AutoCloseable {

    private final ServerContext ctx;
    private UdpSide udp;
    private final List<Thread> threads = new ArrayList<>();
    private final ServerSocket tcp;
    private final ThreadPoolExecutor tcpPool;
    private final Set<Socket> tcpOpen = ConcurrentHashMap.newKeySet();
    /**
     * Open TCP connections per client (for {@code trustbl.dns.tcp.max-per-client}): an IPv4
     * address, or an IPv6 /64, which one host is usually given whole.
     */
    private final ConcurrentHashMap<InetAddress, java.util.concurrent.atomic.AtomicInteger> tcpPerClient = new ConcurrentHashMap<>();
    private final TcpWriteWatchdog tcpWrites = new TcpWriteWatchdog();
    private final NotifySender notifier;
    private final Consumer<ZoneSnapshot> serialListener;
    /** The allow zone has its own serial: its secondaries are told apart from the list's. */
    private final NotifySender allowNotifier;
    private final Consumer<ZoneSnapshot> allowSerialListener;
    private final TransferOut transferOut;
    private volatile boolean running = true;

    private DnsServer(DnsConfig config, ZoneData data, ZoneData allowData, TrafficCounters traffic, ZoneFreshness freshness)
            throws IOException {
        this.ctx = new ServerContext(config, data, allowData, new DnsMetrics(), traffic, freshness);
        this.transferOut = new TransferOut(ctx);
        InetSocketAddress want = config.bindAddress();
        ServerSocket tcpSocket = null;
        IOException last = null;
        for (int attempt = 0; attempt < 10 && tcpSocket == null; attempt++) {
            closeUdp();
            try {
                udp = openUdp(ctx, want);
                InetSocketAddress actual = new InetSocketAddress(want.getAddress(), udp.port());
                ServerSocket ss = new ServerSocket();
                ss.setReuseAddress(true);
                try {
                    ss.bind(actual, 256);
                } catch (IOException e) {
                    ss.close();
                    throw e;
                }
                tcpSocket = ss;
            } catch (IOException e) {
                last = e;
                if (want.getPort() != 0) {
                    break; // a fixed port that is taken will not free itself
                }
            }
        }
        if (tcpSocket == null) {
            closeUdp();
            throw last != null ? last : new IOException("cannot bind " + want);
        }
        this.tcp = tcpSocket;
        this.tcpPool = new ThreadPoolExecutor(0, config.tcpMaxConnections(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "dns-tcp"));
        this.notifier = new NotifySender(config.notifyTargets(), java.util.List.of(ctx.zoneRecords), ctx.tsig);
        this.serialListener = s -> notifier.serialChanged(s.serial());
        data.addSerialListener(serialListener);
        this.allowNotifier = new NotifySender(config.notifyTargets(), java.util.List.of(ctx.allowRecords()), ctx.tsig);
        this.allowSerialListener = s -> allowNotifier.serialChanged(s.serial());
        allowData.addSerialListener(allowSerialListener);
        udp.start();
        Thread acceptor = daemon(this::acceptLoop, "dns-tcp-accept");
        threads.add(acceptor);
        threads.add(daemon(tcpWrites, "dns-tcp-write-watchdog"));
        threads.forEach(Thread::start);
    }

    /** Binds and starts serving {@code data}; lookups are counted into a fresh {@link TrafficCounters}. */
    public static DnsServer start(DnsConfig config, ZoneData data) throws IOException {
        return new DnsServer(config, data, new ZoneData(), new TrafficCounters(), ZoneFreshness.always());
    }

    /** Binds and starts serving {@code data}, counting lookups into {@code traffic}. */
    public static DnsServer start(DnsConfig config, ZoneData data, TrafficCounters traffic) throws IOException {
        return new DnsServer(config, data, new ZoneData(), traffic, ZoneFreshness.always());
    }

    /**
     * As {@link #start(DnsConfig, ZoneData, TrafficCounters)} for a replica: names in the zones get
     * SERVFAIL (the RFC 5782 test points excepted) whenever {@code freshness} says the data may not
     * be served, i.e. before the first load and after the SOA expire without a refresh.
     */
    public static DnsServer start(DnsConfig config, ZoneData data, TrafficCounters traffic, ZoneFreshness freshness)
            throws IOException {
        return new DnsServer(config, data, new ZoneData(), traffic, freshness);
    }

    /**
     * As {@link #start(DnsConfig, ZoneData, TrafficCounters, ZoneFreshness)}, also answering the
     * allow zone ({@code trustbl.dns.allow-zone}: trusted senders, 127.0.10.x) from {@code allowData}.
     */
    public static DnsServer start(DnsConfig config, ZoneData data, ZoneData allowData, TrafficCounters traffic,
                                  ZoneFreshness freshness) throws IOException {
        return new DnsServer(config, data, allowData, traffic, freshness);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * What {@code udp-io} asks for; {@code auto} takes the first the platform has of mmsg (native
     * batched calls, nothing per packet), epoll (the same calls through Netty's channel) and java.
     */
    private static UdpSide openUdp(ServerContext ctx, InetSocketAddress want) throws IOException {
        String io = ctx.config.udpIo();
        if ("mmsg".equals(io) || ("auto".equals(io) && MmsgUdp.available())) {
            return new MmsgUdp(ctx, want);
        }
        if ("epoll".equals(io) || ("auto".equals(io) && EpollUdp.available())) {
            return new EpollUdp(ctx, want);
        }
        return new NioUdp(ctx, want);
    }

    private void closeUdp() {
        if (udp != null) {
            udp.close();
            udp = null;
        }
    }

    /** How UDP is read and written (java or epoll, threads and sockets). */
    public String udpDescription() {
        return udp.describe();
    }

    public int boundPort() {
        return tcp.getLocalPort();
    }

    public InetSocketAddress boundAddress() {
        return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
    }

    public DnsMetrics metrics() {
        return ctx.metrics;
    }

    public TrafficCounters traffic() {
        return ctx.traffic;
    }

    public DnsConfig config() {
        return ctx.config;
    }

    public ZoneFreshness freshness() {
        return ctx.freshness;
    }

    /** NOTIFY messages sent to secondaries so far, and how many were acknowledged. */
    public long notifiesSent() {
        return notifier.sent();
    }

    public long notifiesAcked() {
        return notifier.acked();
    }

    /**
     * Accept NOTIFY for any of the zones from {@code allowedFrom} networks (secondary/follower mode) and
     * call {@code handler} for each (on a server thread: it must only schedule work).
     */
    public void onNotify(List<String> allowedFrom, Consumer<InetAddress> handler) {
        ctx.notifyAcl = AddressAcl.of(allowedFrom);
        ctx.notifyHandler = handler;
    }

    private void acceptLoop() {
        while (running) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                continue;
            }
            InetAddress client = clientKey(s.getInetAddress());
            int cap = ctx.config.tcpMaxPerClient();
            java.util.concurrent.atomic.AtomicInteger open =
                    tcpPerClient.computeIfAbsent(client, k -> new java.util.concurrent.atomic.AtomicInteger());
            if (cap > 0 && open.incrementAndGet() > cap) {
                releaseClient(client, open);
                ctx.metrics.tcpRefused.incrementAndGet();
                closeQuietly(s); // one address may not take all connections (RFC 7766 lets a server close)
                continue;
            } else if (cap <= 0) {
                open.incrementAndGet();
            }
            try {
                tcpPool.execute(() -> {
                    try {
                        serveTcp(s);
                    } finally {
                        releaseClient(client, open);
                    }
                });
            } catch (RejectedExecutionException e) {
                releaseClient(client, open);
                ctx.metrics.tcpRefused.incrementAndGet();
                closeQuietly(s); // too many connections: RFC 7766 lets a server close
            }
        }
    }

    private void releaseClient(InetAddress client, java.util.concurrent.atomic.AtomicInteger open) {
        if (open.decrementAndGet() <= 0) {
            tcpPerClient.remove(client, open);
        }
    }

    /** TCP connections open from one client address (its /64 for IPv6) (tests). */
    int tcpConnectionsFrom(InetAddress client) {
        java.util.concurrent.atomic.AtomicInteger n = tcpPerClient.get(clientKey(client));
        return n == null ? 0 : n.get();
    }

    /** UDP answers sent truncated so that an unproven client network asks over TCP ({@code ProvenNetworks}). */
    public long trafficProofChallenges() {
        return ctx.proven.challenges();
    }

    /** Connections closed because their answers could not be written within the message timeout. */
    public long tcpWriteTimeouts() {
        return tcpWrites.closed();
    }

    /** The per-client connection cap's key: the IPv4 address, or the IPv6 address's /64. */
    static InetAddress clientKey(InetAddress a) {
        if (!(a instanceof java.net.Inet6Address)) {
            return a;
        }
        byte[] b = a.getAddress();
        Arrays.fill(b, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            return a; // 16 bytes are always a valid address
        }
    }

    private void serveTcp(Socket s) {
        tcpOpen.add(s);
        DnsMetrics.Stripe metrics = ctx.metrics.newStripe();
        TrafficCounters.Stripe traffic = ctx.traffic.newStripe();
        Responder responder = new Responder(ctx, metrics, traffic);
        byte[] inArr = new byte[65535];
        byte[] outArr = new byte[65536];
        try {
            s.setTcpNoDelay(true);
            java.io.InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 16384));
            InetAddress client = s.getInetAddress();
            long connectionDeadline = System.nanoTime() + ctx.config.tcpConnectionLifetimeMillis() * 1_000_000L;
            long messageNanos = ctx.config.tcpMessageTimeoutMillis() * 1_000_000L;
            byte[] prefix = new byte[2];
            while (running) {
                int len;
                traffic.idle();
                try {
                    // idle: wait for the first byte of the next message (RFC 7766 idle timeout)
                    long idleLeft = Math.min(ctx.config.tcpIdleTimeoutMillis(), (connectionDeadline - System.nanoTime()) / 1_000_000);
                    if (idleLeft <= 0) {
                        break; // connection lifetime reached
                    }
                    s.setSoTimeout((int) idleLeft);
                    int first = in.read();
                    if (first < 0) {
                        break;
                    }
                    // from the first byte on, the whole message must arrive before its deadline
                    long deadline = Math.min(System.nanoTime() + messageNanos, connectionDeadline);
                    DeadlineReads.readFully(s, in, prefix, 1, 1, deadline);
                    len = ((first & 255) << 8) | (prefix[1] & 255);
                    if (len < 12) {
                        break;
                    }
                    DeadlineReads.readFully(s, in, inArr, 0, len, deadline);
                } catch (EOFException | java.net.SocketTimeoutException e) {
                    break;
                } finally {
                    traffic.busy();
                }
                long t0 = System.nanoTime();
                int n = responder.handle(inArr, len, outArr, true, client);
                if (n == Responder.TRANSFER) {
                    // transfers go only to the secondaries the ACL names, and a big zone takes longer
                    // than one message's timeout: not watched
                    transferOut.transfer(new Message(Arrays.copyOf(inArr, len)), out);
                } else if (n > 0) {
                    responder.countAnsweredOverTcp(client, t0); // not rate limited: every answer counts, and proves the network
                    // a write blocks once the client stops reading (a full buffer flushes): watched
                    tcpWrites.writing(s, messageNanos);
                    out.writeShort(n);
                    out.write(outArr, 0, n);
                }
                if (in.available() == 0) {
                    tcpWrites.writing(s, messageNanos);
                    out.flush(); // pipelined queries are answered in one write
                }
                tcpWrites.written(s);
                metrics.latency(System.nanoTime() - t0);
                traffic.housekeeping(t0);
            }
            tcpWrites.writing(s, messageNanos);
            out.flush();
        } catch (IOException | RuntimeException e) {
            // a broken or hostile connection ends only itself
        } finally {
            tcpWrites.written(s);
            tcpOpen.remove(s);
            closeQuietly(s);
            ctx.traffic.retire(traffic);
            ctx.metrics.retire(metrics);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        running = false;
        ctx.data.removeSerialListener(serialListener);
        ctx.zoneData[ctx.zoneData.length - 1].removeSerialListener(allowSerialListener);
        notifier.close();
        allowNotifier.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing
        }
        tcpWrites.stop();
        for (Socket s : tcpOpen) {
            closeQuietly(s);
        }
        tcpPool.shutdownNow();
        closeUdp();
        NioUdp.joinAll(threads);
    }
}
