package net.trustbl.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * UDP with batched system calls and nothing per packet: one thread per {@code udp-threads}, each
 * with its own socket on the shared port (SO_REUSEPORT) read by {@code recvmmsg} into fixed
 * buffers ({@link MmsgSocket}); the answers of one read leave in one {@code sendmmsg}. When a read
 * fills a whole batch the next read follows at once. When it brought a few packets
 * ({@link #BUSY_READ} or more: the port is busy) the thread pauses {@code udp-coalesce-micros}
 * and reads again, as a network card coalesces interrupts; otherwise it waits in
 * {@code epoll_wait}, which returns at once if more has come meanwhile.
 *
 * <p>Why the pause: every wait costs a sleep, a wake-up (which the client's {@code sendto} pays
 * too) and two more system calls. Under dnsperf at about 150,000 queries/s a read brought 7 to 15
 * packets and an answer cost 3.5 to 6.0 µs of CPU; with a pause of 30 to 100 µs a read brings 27
 * to 29 of 32, and with the default 50 µs an answer costs 3.0 to 4.1 µs and dnsperf spends
 * 6.4 to 7.4 µs per query instead of 7.8 to 8.0 (medians; docs/dns.md, "Reads gathered under load"). A
 * quiet port never pauses: a lone query waits in {@code epoll_wait} and is answered at once.
 */
final class MmsgUdp implements UdpSide {

    private static final Logger LOG = Logger.getLogger(MmsgUdp.class.getName());
    /** How long an idle thread waits before it looks at {@link #closed}. */
    private static final int WAIT_MILLIS = 200;
    /** A read of this many packets or more means the port is busy: gather before the next read. */
    static final int BUSY_READ = 4;

    private final ServerContext ctx;
    private final List<MmsgSocket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final int port;
    private final AtomicLong readFailures = new AtomicLong();
    private final long coalesceNanos;
    private volatile boolean closed;

    static boolean available() {
        return MmsgSocket.available();
    }

    MmsgUdp(ServerContext ctx, InetSocketAddress want) throws IOException {
        this.ctx = ctx;
        this.coalesceNanos = ctx.config.udpCoalesceMicros() * 1_000L;
        int answerSlot = Math.max(512, ctx.config.maxUdpSize());
        try {
            MmsgSocket first = open(want, answerSlot);
            this.port = first.localAddress().getPort();
            InetSocketAddress actual = new InetSocketAddress(want.getAddress(), port);
            for (int i = 1; i < ctx.config.udpThreads(); i++) {
                open(actual, answerSlot);
            }
        } catch (IOException | RuntimeException e) {
            closeSockets();
            throw e;
        }
        for (int i = 0; i < sockets.size(); i++) {
            MmsgSocket s = sockets.get(i);
            Thread t = new Thread(() -> loop(s), "dns-udp-mmsg-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    private MmsgSocket open(InetSocketAddress at, int answerSlot) throws IOException {
        MmsgSocket s = new MmsgSocket(at, EpollUdp.BATCH, EpollUdp.MAX_QUERY, answerSlot, 4 << 20);
        sockets.add(s);
        return s;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() {
        threads.forEach(Thread::start);
    }

    @Override
    public String describe() {
        return "mmsg, " + sockets.size() + " sockets, up to " + EpollUdp.BATCH + " packets per system call"
                + (coalesceNanos > 0 ? ", reads " + coalesceNanos / 1_000 + " µs apart when busy" : "");
    }

    private void loop(MmsgSocket socket) {
        UdpWorker w = new UdpWorker(ctx);
        byte[] in = new byte[EpollUdp.MAX_QUERY];
        w.traffic.idle(); // while waiting, a drain may take this thread's counts itself
        int last = 0; // packets of the last read: a whole batch reads again at once, a busy one pauses first
        try {
            while (!closed) {
                int got;
                try {
                    if (last < EpollUdp.BATCH) {
                        if (last >= BUSY_READ && coalesceNanos > 0) {
                            LockSupport.parkNanos(coalesceNanos);
                        } else if (!socket.await(WAIT_MILLIS)) {
                            last = 0;
                            continue;
                        }
                    }
                    got = socket.receive();
                } catch (IOException e) {
                    // a failed read (ENOBUFS, ENOMEM, ...) loses at most that read: the client asks
                    // again. The thread stays, or this socket's share of clients would go unanswered
                    last = 0;
                    readFailed(e);
                    continue;
                }
                last = got;
                if (got == 0) {
                    continue;
                }
                if (w.counting) {
                    w.traffic.busy();
                }
                for (int i = 0; i < got; i++) {
                    long t0 = System.nanoTime();
                    int len = socket.copyPacket(i, in);
                    int n = w.answer(in, len, socket.sender(i), t0);
                    if (n > 0) {
                        socket.queueAnswer(i, w.out, n);
                    }
                    w.done(t0);
                }
                socket.flush();
                if (w.counting) {
                    w.traffic.idle();
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(Level.SEVERE, "UDP worker stopped", e);
            }
        } finally {
            w.retire();
        }
    }

    /** Logs the first failed read and every 10,000th after it, and pauses a moment so a lasting failure is no busy loop. */
    private void readFailed(IOException e) {
        if (closed) {
            return;
        }
        long n = readFailures.incrementAndGet();
        if (n == 1 || n % 10_000 == 0) {
            LOG.log(Level.WARNING, "UDP read failed (" + n + " so far); the worker goes on", e);
        }
        try {
            Thread.sleep(1);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        NioUdp.joinAll(threads); // each sees the flag within WAIT_MILLIS; only then its socket closes
        closeSockets();
    }

    private void closeSockets() {
        for (MmsgSocket s : sockets) {
            s.close();
        }
    }
}
