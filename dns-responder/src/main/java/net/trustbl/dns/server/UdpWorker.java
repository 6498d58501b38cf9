package net.trustbl.dns.server;

import java.net.InetAddress;

import net.trustbl.dns.traffic.TrafficCounters;

/**
 * What one UDP thread keeps, whichever path reads its packets ({@link NioUdp}, {@link EpollUdp},
 * {@link MmsgUdp}): its responder, metric and traffic stripes, and the answer buffer. The paths
 * differ only in how packets come and go; every answer is made here, so they answer alike.
 */
final class UdpWorker {

    final DnsMetrics.Stripe metrics;
    final TrafficCounters.Stripe traffic;
    /** True when lookups are counted: then the thread says when it is busy (a drain may take over while it waits). */
    final boolean counting;
    /** The answer of the last {@link #answer}. */
    final byte[] out = new byte[65536];
    private final ServerContext ctx;
    private final Responder responder;
    private final RateLimiter rrl;

    UdpWorker(ServerContext ctx) {
        this.ctx = ctx;
        this.metrics = ctx.metrics.newStripe();
        this.traffic = ctx.traffic.newStripe();
        this.counting = ctx.traffic.enabled();
        this.responder = new Responder(ctx, metrics, traffic);
        this.rrl = ctx.rrl;
    }

    /** Answers {@code q[0..len)} from {@code client} into {@link #out}; returns what to send (0: nothing). */
    int answer(byte[] q, int len, InetAddress client, long nowNanos) {
        int n = responder.handle(q, len, out, false, client);
        return responder.rateLimited(rrl, q, len, out, n, client, nowNanos);
    }

    /** The query taken at {@code startNanos} is done: its latency, and the periodic hand-over of counts. */
    void done(long startNanos) {
        metrics.latency(System.nanoTime() - startNanos);
        if (counting) {
            traffic.housekeeping(startNanos);
        }
    }

    /** The thread ends: its counts and metrics go to the totals. */
    void retire() {
        ctx.traffic.retire(traffic);
        ctx.metrics.retire(metrics);
    }
}
