package net.trustbl.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * UDP through Netty's native epoll transport: each event loop owns one socket on the shared port
 * (SO_REUSEPORT) and reads up to {@link #BATCH} packets with one {@code recvmmsg}; the answers of
 * one read go out together at the end of it ({@code sendmmsg} when there are several). Fewer
 * system calls per query than one {@code recvfrom} and one {@code sendto} each. Queries larger
 * than {@link #MAX_QUERY} bytes are cut there (and then answered FORMERR); DNS queries are far smaller.
 */
final class EpollUdp implements UdpSide {

    /** Packets per {@code recvmmsg}. */
    static final int BATCH = 32;
    /**
     * The largest query read whole: a DNSBL query is under 300 bytes (a 255-byte name, an OPT with
     * a cookie or padding, a TSIG rarely). 1024 x {@link #BATCH} = 32 KB, the largest buffer Netty's
     * pool keeps in its per-thread cache: a 64 KB receive buffer went to the shared arena (a lock
     * and a chunk search) on every read and back on its release (seen in perf).
     */
    static final int MAX_QUERY = 1024;

    private final EpollEventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private final int port;

    /** True when Netty's native epoll library loads on this platform. */
    static boolean available() {
        try {
            return Epoll.isAvailable();
        } catch (Throwable e) { // a missing or foreign native library: the JDK path serves
            return false;
        }
    }

    EpollUdp(ServerContext ctx, InetSocketAddress want) throws IOException {
        if (!available()) {
            throw new IOException("udp-io=epoll, but Netty's native epoll is not available: " + Epoll.unavailabilityCause());
        }
        int sockets = ctx.config.udpThreads();
        this.group = new EpollEventLoopGroup(sockets, new DefaultThreadFactory("dns-udp-epoll", true));
        Bootstrap b = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(EpollChannelOption.SO_REUSEPORT, true)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_QUERY * BATCH))
                .handler(new ChannelInitializer<EpollDatagramChannel>() {
                    @Override
                    protected void initChannel(EpollDatagramChannel ch) {
                        ch.pipeline().addLast(new Answering(ctx));
                    }
                });
        try {
            Channel first = bind(b, want);
            this.port = ((InetSocketAddress) first.localAddress()).getPort();
            InetSocketAddress actual = new InetSocketAddress(want.getAddress(), port);
            for (int i = 1; i < sockets; i++) {
                bind(b, actual);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Channel bind(Bootstrap b, InetSocketAddress at) throws IOException {
        var future = b.bind(at).awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IOException("cannot bind UDP " + at + ": " + future.cause(), future.cause());
        }
        channels.add(future.channel());
        return future.channel();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() {
        // the channels read from the moment they are bound; the context is complete by then
    }

    @Override
    public String describe() {
        return "epoll, " + channels.size() + " sockets, up to " + BATCH + " packets per system call";
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** One per channel, so one thread: the worker's responder and stripes are that event loop's. */
    private static final class Answering extends ChannelInboundHandlerAdapter {

        private final UdpWorker w;
        private final byte[] in = new byte[MAX_QUERY];
        private boolean busy;

        Answering(ServerContext ctx) {
            this.w = new UdpWorker(ctx);
            w.traffic.idle(); // between reads a drain may take this stripe's counts itself
        }

        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            DatagramPacket p = (DatagramPacket) msg;
            try {
                if (w.counting && !busy) {
                    w.traffic.busy();
                    busy = true;
                }
                long t0 = System.nanoTime();
                ByteBuf content = p.content();
                int len = Math.min(content.readableBytes(), in.length);
                content.getBytes(content.readerIndex(), in, 0, len);
                InetSocketAddress from = p.sender();
                int n = w.answer(in, len, from.getAddress(), t0);
                if (n > 0) {
                    ByteBuf answer = c.alloc().directBuffer(n);
                    answer.writeBytes(w.out, 0, n);
                    c.write(new DatagramPacket(answer, from), c.voidPromise()); // sent with the others of this read
                }
                w.done(t0);
            } finally {
                p.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext c) {
            c.flush();
            if (busy) {
                w.traffic.idle();
                busy = false;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            // an unreachable client or a closing socket: UDP has no one to tell
        }

        @Override
        public void channelInactive(ChannelHandlerContext c) {
            w.retire();
        }
    }
}
