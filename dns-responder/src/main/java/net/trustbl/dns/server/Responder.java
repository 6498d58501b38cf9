package net.trustbl.dns.server;

import java.net.InetAddress;

import net.trustbl.dns.traffic.ClientNet;
import net.trustbl.dns.traffic.TrafficCounters;
import org.xbill.DNS.Rcode;

/**
 * Turns one query into one response: the {@link FastPath} when it recognises the query, the
 * {@link GeneralPath} (dnsjava) otherwise. Owned by one thread (the paths keep scratch state, and
 * the metric and traffic stripes are that thread's). The lookup a query makes is only noted here;
 * the server counts it with {@link #countAnswered} once rate limiting has let the answer go out.
 */
final class Responder {

    /** Nothing to send. */
    static final int DROP = 0;
    /** An AXFR/IXFR over TCP: the connection handler streams it. */
    static final int TRANSFER = -1;

    private final ServerContext ctx;
    final DnsMetrics.Stripe metrics;
    final TrafficCounters.Stripe traffic;
    private final AnsweredLookup lookup = new AnsweredLookup();
    private final FastPath fast;
    private final GeneralPath general;

    Responder(ServerContext ctx, DnsMetrics.Stripe metrics, TrafficCounters.Stripe traffic) {
        this.ctx = ctx;
        this.metrics = metrics;
        this.traffic = traffic;
        this.fast = new FastPath(ctx, metrics, lookup);
        this.general = new GeneralPath(ctx, metrics, lookup);
    }

    /**
     * Answers {@code q[0..len)} into {@code out}; returns the response length, {@link #DROP} or
     * {@link #TRANSFER}. Never throws for any input.
     */
    int handle(byte[] q, int len, byte[] out, boolean tcp, InetAddress client) {
        lookup.clear();
        try {
            if (ctx.queryAcl.isOpen() || ctx.queryAcl.matches(client)) {
                int n = fast.answer(q, len, out, tcp);
                if (n != FastPath.NOT_HANDLED) {
                    return n;
                }
                lookup.clear(); // the general path notes what it answers itself
            }
            return general.answer(q, len, out, tcp, client);
        } catch (RuntimeException | StackOverflowError e) {
            // a bug must never take the server down: answer SERVFAIL if we can read an id
            lookup.clear();
            return HeaderOnly.answer(q, len, out, Rcode.SERVFAIL, metrics);
        }
    }

    /**
     * Response rate limiting for the UDP answer of length {@code n} in {@code out}: returns what to
     * send, 0 when it is dropped, the truncated answer when it slips. Only a full answer that goes
     * out counts its lookup, so a client cannot raise counts by querying past its limit, and only
     * to a network that proved it receives answers ({@link ProvenNetworks}): the truncated answer
     * of a challenge makes its resolver ask again over TCP.
     */
    int rateLimited(RateLimiter rrl, byte[] q, int len, byte[] out, int n, InetAddress client, long nowNanos) {
        if (n > 0 && rrl.enabled()) {
            int verdict = rrl.check(client, (int) (nowNanos / 1_000_000_000L));
            if (verdict == RateLimiter.DROP) {
                metrics.rrlDrops++;
                metrics.uncountRcode(out[3]); // never sent
                return DROP;
            }
            if (verdict == RateLimiter.SLIP) {
                metrics.rrlSlips++;
                metrics.uncountRcode(out[3]); // replaced by the truncated answer, counted there
                return HeaderOnly.truncated(q, len, out, metrics);
            }
        }
        if (n > 0 && ctx.traffic.enabled()) {
            long net = ClientNet.of(client); // once: the proof and the count both key on it
            int proof = ctx.proven.udp(client, net, ctx.proven.second(nowNanos));
            if (proof == ProvenNetworks.CHALLENGE) {
                metrics.uncountRcode(out[3]); // replaced by the truncated answer, counted there
                return HeaderOnly.truncated(q, len, out, metrics);
            }
            if (proof == ProvenNetworks.COUNT) {
                lookup.count(traffic, net, nowNanos);
            }
        }
        return n;
    }

    /** A query came over TCP from {@code client}: the handshake proved its network; its lookup counts. */
    void countAnsweredOverTcp(InetAddress client, long nowNanos) {
        ctx.proven.provenByTcp(client, ctx.proven.second(nowNanos));
        countAnswered(client, nowNanos);
    }

    /** The answer of the last {@link #handle} was sent to {@code client}: its lookup counts now. */
    void countAnswered(InetAddress client, long nowNanos) {
        if (ctx.traffic.enabled()) {
            lookup.count(traffic, client, nowNanos);
        }
    }

    /** The general path alone (tests compare it with the fast path). */
    GeneralPath general() {
        return general;
    }

    /** The fast path alone (tests). */
    FastPath fast() {
        return fast;
    }
}
