package net.trustbl.listing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import net.trustbl.common.RateLimiter;
import net.trustbl.address.IpBlock;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * The reverse DNS of an address for the lookup page, checked forward (the name resolves back to
 * the address), because a missing or mismatched PTR is the first thing a blocked sender should fix.
 * Answers are cached so that page views cannot turn the service into a DNS query amplifier.
 */
public final class ReverseDns {

    /** {@code name} without the trailing dot; {@code forwardConfirmed}: the name resolves back to the address. */
    public record Result(String name, boolean forwardConfirmed) { }

    private static final Result NONE = new Result(null, false);

    private final Resolver resolver;
    private final Cache<IpBlock, Result> cache;
    /** Uncached lookups per second, for all visitors together: page views cannot make us a query flood. */
    private final RateLimiter queries;

    public ReverseDns(Resolver resolver, Duration timeout, Duration cacheFor, double queriesPerSecond) {
        this.resolver = resolver;
        this.resolver.setTimeout(timeout);
        this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(cacheFor).build();
        this.queries = new RateLimiter(queriesPerSecond, queriesPerSecond * 2);
    }

    /** Empty for blocks, on timeouts, errors and over the query rate (not cached: a later view may succeed); a null name when there is no PTR. */
    public Optional<Result> lookup(IpBlock ip) {
        if (!ip.isSingleAddress()) {
            return Optional.empty();
        }
        Result cached = cache.getIfPresent(ip);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (!queries.tryAcquire("all")) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByAddress(ip.address().toBytes()); // no lookup
            Message answer = resolver.send(Message.newQuery(Record.newRecord(ReverseMap.fromAddress(address), Type.PTR, DClass.IN)));
            Result r = NONE;
            if (answer.getRcode() == Rcode.NOERROR || answer.getRcode() == Rcode.NXDOMAIN) {
                for (Record rec : answer.getSection(Section.ANSWER)) {
                    if (rec instanceof PTRRecord ptr) {
                        r = new Result(text(ptr.getTarget()), resolvesTo(ptr.getTarget(), address));
                        break;
                    }
                }
            } else {
                return Optional.empty();
            }
            cache.put(ip, r);
            return Optional.of(r);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean resolvesTo(Name name, InetAddress address) throws IOException {
        int type = address.getAddress().length == 4 ? Type.A : Type.AAAA;
        Message answer = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        for (Record rec : answer.getSection(Section.ANSWER)) {
            if (rec instanceof ARecord a && a.getAddress().equals(address)
                    || rec instanceof AAAARecord aaaa && aaaa.getAddress().equals(address)) {
                return true;
            }
        }
        return false;
    }

    private static String text(Name n) {
        String s = n.toString();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
