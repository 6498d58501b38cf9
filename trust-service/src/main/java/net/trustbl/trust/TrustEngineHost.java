package net.trustbl.trust;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.engine.Decision;
import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.Explanation;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Listing;
import net.trustbl.engine.MemberTrust;
import net.trustbl.engine.TrustEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Owns the one trust engine of this process. The engine is single-threaded; this host serializes
 * the journal's writes and the readers' questions with one short lock (engine calls are
 * in-memory and take microseconds).
 */
@ApplicationScoped
public class TrustEngineHost {

    private final ReentrantLock lock = new ReentrantLock();
    private final Timer applyTimer;
    private TrustEngine engine;

    @Inject
    public TrustEngineHost(TrustBlConfig config, MeterRegistry metrics) {
        this(engineConfig(config), metrics);
    }

    TrustEngineHost(EngineConfig config, MeterRegistry metrics) {
        this.engine = new TrustEngine(config);
        this.applyTimer = Timer.builder("trustbl.engine.apply").description("engine time per journal batch")
                .publishPercentiles(0.5, 0.99).register(metrics);
        // a count, not the list: a scrape must not build and sort every listing under the engine lock
        Gauge.builder("trustbl.listings", this, TrustEngineHost::listingCount)
                .description("current listings (including the two RFC 5782 test points)").register(metrics);
    }

    /** Current listings including the two always-listed RFC 5782 test points (= listings().size()); O(1). */
    public int listingCount() {
        lock.lock();
        try {
            return engine.listingCount() + 2;
        } finally {
            lock.unlock();
        }
    }

    static EngineConfig engineConfig(TrustBlConfig config) {
        TrustBlConfig.Engine e = config.engine();
        List<IpBlock> allow = new ArrayList<>();
        for (String s : e.allowRanges().orElse(List.of())) {
            if (!s.isBlank()) {
                allow.add(IpBlock.parse(s.trim()));
            }
        }
        return EngineConfig.defaults().withListThreshold(e.listThreshold()).withListingTtlMillis(e.listingTtl().toMillis())
                .withMinMemberAgeMillis(e.minMemberAge().toMillis()).withMinReporterTrust(e.minReporterTrust())
                .withAllowRanges(allow).withVolumeLookupsPerThreshold(e.volumeLookupsPerThreshold())
                .withSnowshoeMinListed(e.snowshoeMinListed()).withValue("snowshoeMinWitnesses", e.snowshoeMinWitnesses())
                .withValue("waitForFirstLookup", e.waitForFirstLookup())
                .withValue("plausibleReportsPerLookup", e.plausibleReportsPerLookup())
                .withValue("minReportersToList", e.minReportersToList())
                .withValue("bulkSenderLookupsPerHour", e.bulkSenderLookupsPerHour())
                .withValue("contestHoldMillis", e.contestHold().toMillis())
                .withValue("contestMaxShare", e.contestMaxShare())
                .withValue("maxTrackedAddresses", e.maxTrackedAddresses())
                .withValue("moderatorClearedHoldMillis", e.moderatorClearedHold().toMillis());
    }

    /** An empty engine with this host's rules, for a replay that must not disturb the one serving. */
    public TrustEngine newEngine() {
        return new TrustEngine(engine.config());
    }

    /**
     * Serves {@code rebuilt} from now on. A replay builds its engine on the side and swaps it in
     * when complete, so lookups never see a half-replayed (or empty) engine.
     */
    public void replace(TrustEngine rebuilt) {
        lock.lock();
        try {
            engine = rebuilt;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies events in order; decisions go to {@code out} (in order) while the lock is held. The
     * first event the engine throws on ends the call: the writer's batch fails and is rebuilt from
     * what was stored.
     */
    public void apply(List<EngineEvent> events, Consumer<Decision> out) {
        applyStored(events, out, (e, ex) -> {
            throw ex;
        });
    }

    /**
     * As {@link #apply(List, Consumer)} for events the writer already stored and applied (a
     * standby following the journal): an event the engine throws on is handed to {@code skipped}
     * and the rest are applied. Stopping there instead would leave the page half applied, and the
     * next poll would apply its first events twice and throw again, for ever; the rebuild skips
     * such an event the same way, so a standby that takes over agrees with a fresh replay.
     */
    public void applyStored(List<EngineEvent> events, Consumer<Decision> out, java.util.function.BiConsumer<EngineEvent, RuntimeException> skipped) {
        long started = System.nanoTime();
        lock.lock();
        try {
            for (EngineEvent e : events) {
                try {
                    engine.apply(e, out);
                } catch (RuntimeException ex) {
                    skipped.accept(e, ex);
                }
            }
        } finally {
            lock.unlock();
            applyTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    public Explanation explain(IpBlock ip, long nowMillis) {
        lock.lock();
        try {
            return engine.explain(ip, nowMillis);
        } finally {
            lock.unlock();
        }
    }

    /** See {@link TrustEngine#listedBlockAround}. */
    public IpBlock listedBlockAround(IpBlock ip, long nowMillis) {
        lock.lock();
        try {
            return engine.listedBlockAround(ip, nowMillis);
        } finally {
            lock.unlock();
        }
    }

    /** See {@link TrustEngine#listedInside}. */
    public List<IpBlock> listedInside(IpBlock block, int max) {
        lock.lock();
        try {
            return engine.listedInside(block, max);
        } finally {
            lock.unlock();
        }
    }

    /** The address's trusted-sender status (the allow zone), or null. */
    public net.trustbl.engine.TrustedSender trustedSender(IpBlock ip) {
        lock.lock();
        try {
            return engine.trustedSender(ip);
        } finally {
            lock.unlock();
        }
    }

    /** Listings and exclusions: what the DNS zone serves (see {@link TrustEngine#zoneEntries}). */
    public List<Listing> zoneEntries() {
        lock.lock();
        try {
            return engine.zoneEntries();
        } finally {
            lock.unlock();
        }
    }

    /** Every trusted sender (the allow zone's content). */
    public List<net.trustbl.engine.TrustedSender> trustedSenders() {
        lock.lock();
        try {
            return engine.trustedSenders();
        } finally {
            lock.unlock();
        }
    }

    /** See {@link TrustEngine#excludedFrom}. */
    public IpBlock excludedFrom(IpBlock ip) {
        lock.lock();
        try {
            return engine.excludedFrom(ip);
        } finally {
            lock.unlock();
        }
    }

    public List<Listing> listings() {
        lock.lock();
        try {
            return engine.listings();
        } finally {
            lock.unlock();
        }
    }

    public MemberTrust member(long memberId) {
        lock.lock();
        try {
            return engine.member(memberId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the engine's state ({@link net.trustbl.engine.EngineSnapshot}) without the engine
     * lock: call it only on the thread that applies events (the journal's writer thread, between
     * batches), so nothing changes the engine meanwhile. Readers only read the engine (their
     * scratch tallies are not part of the state), so lookups go on while a big engine is written.
     */
    public void snapshot(java.io.OutputStream out) throws java.io.IOException {
        net.trustbl.engine.EngineSnapshot.write(engine, out);
    }

    /** An engine restored from a snapshot with this host's rules (IOException: not usable). */
    public TrustEngine restore(java.io.InputStream in) throws java.io.IOException {
        return net.trustbl.engine.EngineSnapshot.read(engine.config(), in);
    }

    /** The rules this host's engines run under. */
    public net.trustbl.engine.EngineConfig rules() {
        return engine.config();
    }

    public double listThreshold() {
        return engine.config().listThreshold();
    }
}
