package net.trustbl.journal;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Where DNS lookup counts go on their way to the journal (the built-in responder's and the
 * standalone responders' uploads): rolled up per address per {@code trustbl.journal.traffic-interval}
 * ({@link TrafficRollup}). Counts held for the interval are in memory: a crash loses at most one
 * interval of them (a volume signal that halves over a week; reports and trap hits are never
 * held). A clean shutdown journals them. On a standby, the journal parks them in
 * {@code traffic_inbox} for the writer ({@link TrafficInbox}).
 */
@ApplicationScoped
public class RolledUpTraffic {

    private static final Logger LOG = Logger.getLogger(RolledUpTraffic.class);
    /** Facts per journal submission: one writer batch at most. */
    private static final int CHUNK = 5_000;

    @Inject
    EventJournal journal;

    private final TrafficRollup rollup = new TrafficRollup();

    /**
     * Takes counts; the returned future completes once the part that passes at once (addresses
     * new to the interval) is journaled, or held again for the interval's end when it could not be.
     */
    public CompletableFuture<Void> offer(Map<IpBlock, Long> counts) {
        List<EngineEvent.TrafficObserved> now;
        synchronized (rollup) {
            now = rollup.add(counts);
        }
        return submit(now);
    }

    @Scheduled(every = "${trustbl.journal.traffic-interval}", delayed = "${trustbl.journal.traffic-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void endInterval() {
        List<EngineEvent.TrafficObserved> held = take(TrafficRollup::endInterval);
        if (!held.isEmpty()) {
            LOG.debugf("journaling the lookup counts of %d addresses rolled up over the interval", held.size());
            submit(held);
        }
    }

    /** A new address's counts in its first intervals go out every new-address step ({@link TrafficRollup}). */
    @Scheduled(every = "${trustbl.journal.new-address-traffic-interval}", delayed = "${trustbl.journal.new-address-traffic-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void endNewAddressStep() {
        List<EngineEvent.TrafficObserved> held = take(TrafficRollup::endNewAddressStep);
        if (!held.isEmpty()) {
            submit(held);
        }
    }

    private List<EngineEvent.TrafficObserved> take(Function<TrafficRollup, List<EngineEvent.TrafficObserved>> counts) {
        synchronized (rollup) {
            return counts.apply(rollup);
        }
    }

    /** Before the journal stops: what the interval held is journaled, not lost. */
    void onStop(@Observes @Priority(100) ShutdownEvent ev) {
        List<EngineEvent.TrafficObserved> held = take(TrafficRollup::endInterval);
        try {
            submit(held).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.infof("lookup counts of %d addresses not journaled at shutdown: %s", held.size(), e.toString());
        }
    }

    /** Addresses whose counts wait for the end of the interval (tests, metrics). */
    int pendingAddresses() {
        synchronized (rollup) {
            return rollup.pendingAddresses();
        }
    }

    private CompletableFuture<Void> submit(List<EngineEvent.TrafficObserved> counts) {
        List<CompletableFuture<?>> parts = new ArrayList<>();
        for (int from = 0; from < counts.size(); from += CHUNK) {
            List<EngineEvent.TrafficObserved> chunk = counts.subList(from, Math.min(counts.size(), from + CHUNK));
            List<JournalEntry> facts = new ArrayList<>(chunk.size());
            for (EngineEvent.TrafficObserved t : chunk) {
                facts.add(new JournalEntry.Fact(t));
            }
            parts.add(journal.submit(facts).handle((receipts, failure) -> {
                if (failure != null) {
                    LOG.debugf("lookup counts not journaled (database down?), held for the next interval: %s", failure.getMessage());
                    synchronized (rollup) {
                        rollup.putBack(chunk);
                    }
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }
}
