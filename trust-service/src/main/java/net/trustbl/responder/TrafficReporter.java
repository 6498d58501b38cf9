package net.trustbl.responder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.dns.traffic.Busiest;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.address.IpBlock;
import net.trustbl.journal.RolledUpTraffic;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the DNS responder's lookup counts into traffic observations for the engine: one lookup per
 * queried address and client network (IPv4 /24, IPv6 /48) per interval, answered queries only
 * ({@link TrafficCounters}), the same counts a standalone responder uploads; journaled rolled up
 * per address ({@link RolledUpTraffic}).
 */
@ApplicationScoped
public class TrafficReporter {

    /** At most this many addresses per interval (the busiest ones). */
    static final int MAX_ADDRESSES = Busiest.MAX_ADDRESSES;

    @Inject
    RolledUpTraffic traffic;

    private final Map<String, Long> lookupsByKey = new HashMap<>();

    void drainInto(TrafficCounters counters) {
        Map<String, Long> perIp = new HashMap<>();
        counters.drain((ip, n) -> perIp.merge(ip, n, Long::sum), (key, n) -> {
            synchronized (lookupsByKey) {
                lookupsByKey.merge(key, n, Long::sum);
            }
        });
        if (perIp.isEmpty()) {
            return;
        }
        Map<IpBlock, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : Busiest.of(perIp, MAX_ADDRESSES)) {
            try {
                counts.merge(IpBlock.parse(e.getKey()), e.getValue(), Long::sum);
            } catch (IllegalArgumentException ignored) {
                // the responder only counts addresses it parsed; nothing else can arrive here
            }
        }
        traffic.offer(counts); // rolled up per address per trustbl.journal.traffic-interval
    }

    /** Lookups per member query key since start (member statistics). */
    public Map<String, Long> lookupsByKey() {
        synchronized (lookupsByKey) {
            return Map.copyOf(lookupsByKey);
        }
    }
}
