package net.trustbl.gateway.dns;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.config.HostPort;
import org.jboss.logging.Logger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asynchronous DNS questions to the configured resolver, with a cache that honours the answer's
 * TTL (the SOA minimum for negatives, RFC 2308) and coalesces concurrent identical questions.
 * Results come back on the caller's Vert.x context, so filters never block their event loop.
 */
@ApplicationScoped
public class DnsLookup {

    private static final Logger LOG = Logger.getLogger(DnsLookup.class);
    private static final long FAILED_TTL_MS = 5_000;

    private final Vertx vertx;
    private final SimpleResolver resolver;
    private final InetSocketAddress server;
    private final long negativeTtlMaxMs;
    private final AnswerCache cache;
    private final Map<String, Future<DnsAnswer>> inFlight = new ConcurrentHashMap<>();

    public DnsLookup(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.cache = new AnswerCache(config.dns().cacheSize());
        this.negativeTtlMaxMs = config.dns().negativeTtlMax().toMillis();
        try {
            InetSocketAddress server = config.dns().resolver()
                    .map(v -> HostPort.parse(v, 53))
                    .map(hp -> new InetSocketAddress(hp.host(), hp.port()))
                    .orElseGet(() -> ResolverConfig.getCurrentConfig().server());
            this.server = server;
            this.resolver = new SimpleResolver(server);
            this.resolver.setTimeout(config.dnsbl().timeout());
            LOG.infof("DNS questions go to %s", server);
        } catch (Exception e) {
            throw new IllegalStateException("bad gateway.dns.resolver", e);
        }
    }

    /** The resolver every DNS question goes to (for checks that bring their own DNS client, such as SPF). */
    public InetSocketAddress server() {
        return server;
    }

    public void setTimeout(Duration timeout) {
        resolver.setTimeout(timeout);
    }

    public Future<DnsAnswer> a(String name) {
        return ask(name, Type.A);
    }

    public Future<DnsAnswer> txt(String name) {
        return ask(name, Type.TXT);
    }

    public Future<DnsAnswer> mx(String name) {
        return ask(name, Type.MX);
    }

    public Future<DnsAnswer> ask(String name, int type) {
        String key = type + "|" + name.toLowerCase();
        DnsAnswer cached = cache.get(key, System.currentTimeMillis());
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        Future<DnsAnswer> pending = inFlight.get(key);
        if (pending != null) {
            return onCallerContext(pending);
        }
        Promise<DnsAnswer> promise = Promise.promise();
        Future<DnsAnswer> raced = inFlight.putIfAbsent(key, promise.future());
        if (raced != null) {
            return onCallerContext(raced);
        }
        Future<DnsAnswer> result = promise.future();
        Context ctx = vertx.getOrCreateContext();
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
        } catch (TextParseException ex) {
            inFlight.remove(key);
            return Future.succeededFuture(DnsAnswer.FAILED);
        }
        resolver.sendAsync(query).whenComplete((response, error) -> {
            long ttlMs;
            DnsAnswer answer;
            if (error != null) {
                answer = DnsAnswer.FAILED;
                ttlMs = FAILED_TTL_MS;
            } else {
                long[] ttl = {Long.MAX_VALUE};
                answer = parse(response, type, ttl);
                ttlMs = answer.failed() ? FAILED_TTL_MS
                        : Math.min(ttl[0] == Long.MAX_VALUE ? 300_000 : ttl[0] * 1000,
                        answer.found() ? 86_400_000 : negativeTtlMaxMs);
            }
            if (ttlMs > 0) {
                long now = System.currentTimeMillis();
                cache.put(key, answer, now + ttlMs, now);
            }
            inFlight.remove(key);
            ctx.runOnContext(v -> promise.complete(answer));
        });
        return result;
    }

    private Future<DnsAnswer> onCallerContext(Future<DnsAnswer> f) {
        Context ctx = vertx.getOrCreateContext();
        Promise<DnsAnswer> p = Promise.promise();
        f.onComplete(ar -> ctx.runOnContext(v -> p.handle(ar)));
        return p.future();
    }

    static DnsAnswer parse(Message response, int type, long[] ttl) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            negativeTtl(response, ttl);
            return new DnsAnswer(DnsAnswer.Status.NXDOMAIN, List.of());
        }
        if (rcode != Rcode.NOERROR || response.getHeader().getFlag(Flags.TC)) {
            return DnsAnswer.FAILED;
        }
        List<String> records = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() != type) {
                continue;
            }
            ttl[0] = Math.min(ttl[0], r.getTTL());
            if (r instanceof ARecord a) {
                records.add(a.getAddress().getHostAddress());
            } else if (r instanceof TXTRecord t) {
                records.add(String.join("", t.getStrings()));
            } else if (r instanceof MXRecord m) {
                records.add(m.getTarget().toString(true));
            } else {
                records.add(r.rdataToString());
            }
        }
        if (records.isEmpty()) {
            negativeTtl(response, ttl);
            return new DnsAnswer(DnsAnswer.Status.NODATA, List.of());
        }
        return new DnsAnswer(DnsAnswer.Status.FOUND, List.copyOf(records));
    }

    private static void negativeTtl(Message response, long[] ttl) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                ttl[0] = Math.min(ttl[0], Math.min(soa.getTTL(), soa.getMinimum()));
            }
        }
    }

    /** Forgets cached answers (tests, operator action). */
    public void clearCache() {
        cache.clear();
    }
}
