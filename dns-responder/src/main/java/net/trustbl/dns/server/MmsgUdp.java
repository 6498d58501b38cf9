package net.trustbl.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * UDP with batched system calls and nothing per packet: one thread per {@code udp-threads}, each
 * with its own socket on the shared port (SO_REUSEPORT) read by {@code recvmmsg} into fixed
 * buffers ({@link MmsgSocket}); the answers of one read leave in one {@code sendmmsg}. When a read
 * fills a whole batch the next read follows at once; otherwise the thread waits in
 * {@code epoll_wait}, which returns at once if more has come meanwhile.
 */
final class MmsgUdp implements UdpSide {

    private static final Logger LOG = Logger.getLogger(MmsgUdp.class.getName());
    /** How long an idle thread waits before it looks at {@link #closed}. */
    private static final int WAIT_MILLIS = 200;

    private final ServerContext ctx;
    private final List<MmsgSocket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final int port;
    private final AtomicLong readFailures = new AtomicLong();
    private volatile boolean closed;

    static boolean available() {
        return MmsgSocket.available();
    }

    MmsgUdp(ServerContext ctx, InetSocketAddress want) throws IOException {
        this.ctx = ctx;
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
        return "mmsg, " + sockets.size() + " sockets, up to " + EpollUdp.BATCH + " packets per system call";
    }

    private void loop(MmsgSocket socket) {
        UdpWorker w = new UdpWorker(ctx);
        byte[] in = new byte[EpollUdp.MAX_QUERY];
        w.traffic.idle(); // while waiting, a drain may take this thread's counts itself
        boolean more = false; // the last read filled a batch: read again before waiting
        try {
            while (!closed) {
                int got;
                try {
                    if (!more && !socket.await(WAIT_MILLIS)) {
                        continue;
                    }
                    got = socket.receive();
                } catch (IOException e) {
                    // a failed read (ENOBUFS, ENOMEM, ...) loses at most that read: the client asks
                    // again. The thread stays, or this socket's share of clients would go unanswered
                    more = false;
                    readFailed(e);
                    continue;
                }
                more = got == EpollUdp.BATCH;
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
