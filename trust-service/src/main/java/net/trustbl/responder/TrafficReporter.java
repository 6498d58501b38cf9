package net.trustbl.responder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.dns.traffic.Busiest;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.IpBlock;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.JournalEntry;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the DNS responder's lookup counts into traffic observations for the engine: one lookup per
 * queried address and client network (IPv4 /24, IPv6 /48) per interval, answered queries only
 * ({@link TrafficCounters}), the same counts a standalone responder uploads.
 */
@ApplicationScoped
public class TrafficReporter {

    private static final Logger LOG = Logger.getLogger(TrafficReporter.class);
    /** At most this many addresses per interval (the busiest ones). */
    static final int MAX_ADDRESSES = Busiest.MAX_ADDRESSES;

    @Inject
    EventJournal journal;

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
        List<JournalEntry> facts = new ArrayList<>();
        for (Map.Entry<String, Long> e : Busiest.of(perIp, MAX_ADDRESSES)) {
            try {
                facts.add(new JournalEntry.Fact(new EngineEvent.TrafficObserved(IpBlock.parse(e.getKey()), e.getValue(), 0)));
            } catch (IllegalArgumentException ignored) {
                // the responder only counts addresses it parsed; nothing else can arrive here
            }
        }
        journal.submit(facts).exceptionally(t -> {
            LOG.debugf("traffic observations not stored (database down?): %s", t.getMessage());
            return null;
        });
    }

    /** Lookups per member query key since start (member statistics). */
    public Map<String, Long> lookupsByKey() {
        synchronized (lookupsByKey) {
            return Map.copyOf(lookupsByKey);
        }
    }
}
