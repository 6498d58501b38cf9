package net.trustbl.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * UDP through the JDK: one blocking thread per {@code udp-threads}, each with its own socket on the
 * same port (SO_REUSEPORT, so the kernel spreads clients without a shared lock); one system call
 * per packet each way. The fallback when native epoll is not there ({@link EpollUdp}).
 */
final class NioUdp implements UdpSide {

    private static final Logger LOG = Logger.getLogger(NioUdp.class.getName());

    private final ServerContext ctx;
    private final List<DatagramChannel> udp = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /** Binds {@code want} (port 0: any free port) on as many sockets as the platform allows. */
    NioUdp(ServerContext ctx, InetSocketAddress want) throws IOException {
        this.ctx = ctx;
        int threadsWanted = ctx.config.udpThreads();
        boolean reusePort;
        try (DatagramChannel probe = DatagramChannel.open()) {
            reusePort = probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        }
        int channels = reusePort ? threadsWanted : 1;
        try {
            DatagramChannel first = openUdp(want, reusePort);
            udp.add(first);
            int port = ((InetSocketAddress) first.getLocalAddress()).getPort();
            InetSocketAddress actual = new InetSocketAddress(want.getAddress(), port);
            for (int i = 1; i < channels; i++) {
                udp.add(openUdp(actual, true));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        for (int i = 0; i < threadsWanted; i++) {
            DatagramChannel ch = udp.get(i % udp.size());
            Thread t = new Thread(() -> udpLoop(ch), "dns-udp-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    @Override
    public int port() {
        try {
            return ((InetSocketAddress) udp.get(0).getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void start() {
        threads.forEach(Thread::start);
    }

    @Override
    public String describe() {
        return "java, " + threads.size() + " threads on " + udp.size() + " sockets";
    }

    private static DatagramChannel openUdp(InetSocketAddress addr, boolean reusePort) throws IOException {
        DatagramChannel ch = DatagramChannel.open(addr.getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.bind(addr);
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Waits up to 2 s for each thread to end (they end when their sockets close). */
    static void joinAll(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (DatagramChannel ch : udp) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        joinAll(threads);
    }


    private void udpLoop(DatagramChannel ch) {
        UdpWorker w = new UdpWorker(ctx);
        // without counting there is nothing a drain could take over while we block: skip the
        // per-packet idle/busy handshake (a volatile write and a CAS)
        boolean counting = w.counting;
        byte[] inArr = new byte[65536];
        // direct buffers: the kernel reads and writes them as they are; a heap buffer would go
        // through the JDK's per-thread temporary direct buffer (lookup, copy, give back) each call
        ByteBuffer in = ByteBuffer.allocateDirect(65536);
        ByteBuffer out = ByteBuffer.allocateDirect(65536);
        try {
            // blocking receive: one system call per packet when busy, no wake-up overhead when idle
            // (measured: a non-blocking loop with select costs ~60% more CPU per query)
            ch.configureBlocking(true);
            if (!counting) {
                w.traffic.idle(); // for good: a drain never has to wait for this thread
            }
            while (!closed) {
                in.clear();
                SocketAddress from;
                if (counting) {
                    w.traffic.idle(); // while blocked, a drain may take this thread's counts itself
                }
                try {
                    from = ch.receive(in);
                } catch (ClosedChannelException e) {
                    break;
                } catch (IOException e) {
                    continue;
                } finally {
                    if (counting) {
                        w.traffic.busy();
                    }
                }
                long t0 = System.nanoTime();
                int len = in.position();
                in.get(0, inArr, 0, len);
                int n = w.answer(inArr, len, ((InetSocketAddress) from).getAddress(), t0);
                if (n > 0) {
                    out.clear();
                    out.put(w.out, 0, n);
                    out.flip();
                    try {
                        ch.send(out, from);
                    } catch (ClosedChannelException e) {
                        break;
                    } catch (IOException e) {
                        // the client's problem (e.g. unreachable); UDP has no one to tell
                    }
                }
                w.done(t0);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.log(Level.SEVERE, "UDP worker stopped", e);
            }
        } finally {
            w.retire();
        }
    }
}
