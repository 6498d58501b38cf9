package net.trustbl.responder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import net.trustbl.dns.index.MemberView;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.server.DnsMetrics;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.journal.MemberViewChanged;
import net.trustbl.listing.ListingFeed;
import net.trustbl.listing.TrustedFeed;
import net.trustbl.rules.PersonalRules;
import net.trustbl.rules.PersonalRulesService;
import net.trustbl.rules.ServedRules;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the DNS responder inside the central service: its zone data follows the listing feed
 * (snapshot once, then changes, in serial order), and members' personal views follow their
 * rules. DNS queries are answered from that memory only.
 */
@ApplicationScoped
public class DnsResponderHost {

    private static final Logger LOG = Logger.getLogger(DnsResponderHost.class);

    @Inject
    DnsSettings settings;

    @Inject
    ListingFeed feed;

    @Inject
    TrustedFeed trustedFeed;

    @Inject
    PersonalRulesService rules;

    @Inject
    MeterRegistry metrics;

    private final ZoneData zone = new ZoneData();
    private final ZoneBatcher batcher = new ZoneBatcher(zone);
    /** The allow zone (trusted senders): its own data and serials, following the trusted feed the same way. */
    private final ZoneData allowZone = new ZoneData();
    private final ZoneBatcher allowBatcher = new ZoneBatcher(allowZone);
    /** member id → query key currently served, so a changed key replaces the old view. */
    private final Map<Long, String> servedKeys = new ConcurrentHashMap<>();
    private DnsServer server;
    private DnsConfig dnsConfig;

    void onStart(@Observes @Priority(30) StartupEvent ev) {
        if (!settings.enabled()) {
            LOG.info("DNS responder disabled (trustbl.dns.enabled=false)");
            return;
        }
        dnsConfig = settings.dnsConfig();
        batcher.snapshotsFrom(feed::snapshot);
        String serialFile = settings.serialFile().toString();
        batcher.serialsFrom(new SerialFloor(java.nio.file.Path.of(serialFile)));
        feed.follow(batcher);
        batcher.start();
        allowBatcher.snapshotsFrom(trustedFeed::snapshot);
        allowBatcher.serialsFrom(new SerialFloor(java.nio.file.Path.of(serialFile + "-allow")));
        trustedFeed.follow(allowBatcher);
        allowBatcher.start();
        rules.allWithQueryKeys().forEach(this::serveView);
        try {
            server = DnsServer.start(dnsConfig, zone, allowZone, new TrafficCounters(settings.traffic()),
                    net.trustbl.dns.server.ZoneFreshness.always());
        } catch (IOException e) {
            throw new UncheckedIOException("could not bind the DNS responder to " + dnsConfig.bindAddress()
                    + " (set trustbl.dns.bind, or trustbl.dns.enabled=false)", e);
        }
        bindMetrics(server.metrics());
        FunctionCounter.builder("trustbl.dns.traffic.pairs.overflowed", server.traffic(), TrafficCounters::overflowedPairs)
                .description("new (address, client network) lookups not counted: the interval's table was full").register(metrics);
        FunctionCounter.builder("trustbl.dns.traffic.pairs.capped", server.traffic(), TrafficCounters::cappedPairs)
                .description("new (address, client network) lookups not counted: their client network had taken its "
                        + "share of the interval's table (trustbl.dns.traffic.max-pairs-per-network)").register(metrics);
        LOG.infof("DNS responder for zone %s and allow zone %s on %s (udp: %s; tcp), serial %d", dnsConfig.zone(),
                dnsConfig.allowZone(), server.boundAddress(), server.udpDescription(), zone.serial());
    }

    void onStop(@Observes ShutdownEvent ev) {
        batcher.stop();
        allowBatcher.stop();
        if (server != null) {
            server.close();
        }
    }

    void onViewChanged(@Observes MemberViewChanged ev) {
        if (server == null) {
            return;
        }
        Optional<ServedRules> view = rules.withQueryKey(ev.memberId());
        if (view.isPresent()) {
            serveView(view.get());
            return;
        }
        String old = servedKeys.remove(ev.memberId()); // suspended: its key is answered REFUSED
        if (old != null) {
            zone.removeMemberView(old);
        }
    }

    /** Serves (or re-serves) one member's view under its query key; a changed key drops the old one. */
    private void serveView(ServedRules view) {
        String old = servedKeys.put(view.memberId(), view.queryKey());
        if (old != null && !old.equals(view.queryKey())) {
            zone.removeMemberView(old);
        }
        PersonalRules r = view.rules();
        zone.putMemberView(new MemberView(view.queryKey(), r.threshold() == null ? Double.NaN : r.threshold(), r.allow(), r.deny()));
    }

    /**
     * The volume signal: lookups per IP (one per client network per {@code trustbl.dns.traffic.interval})
     * go to the trust engine as traffic observations. Only the busiest addresses are kept per drain so
     * a scan of the whole address space cannot flood the journal.
     */
    @Scheduled(every = "${trustbl.dns.traffic-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void drainTraffic() {
        if (server != null) {
            traffic.drainInto(server.traffic());
        }
    }

    @Inject
    TrafficReporter traffic;

    private void bindMetrics(DnsMetrics m) {
        for (String type : DnsMetrics.TYPES) {
            FunctionCounter.builder("trustbl.dns.queries", m, x -> x.queriesByType(type)).tag("type", type).register(metrics);
        }
        for (String rcode : DnsMetrics.RCODES) {
            FunctionCounter.builder("trustbl.dns.responses", m, x -> x.responsesByRcode(rcode)).tag("rcode", rcode)
                    .description("responses sent, by rcode (RRL drops not counted, a slip counts once)").register(metrics);
        }
        FunctionCounter.builder("trustbl.dns.listed.hits", m, DnsMetrics::listedHits).register(metrics);
        FunctionCounter.builder("trustbl.dns.rrl.drops", m, DnsMetrics::rrlDrops).register(metrics);
        FunctionCounter.builder("trustbl.dns.rrl.slips", m, DnsMetrics::rrlSlips).register(metrics);
        FunctionCounter.builder("trustbl.dns.dropped", m, DnsMetrics::dropped)
                .description("packets dropped without an answer (malformed, responses sent to us)").register(metrics);
        FunctionCounter.builder("trustbl.dns.acl.refused", m, DnsMetrics::aclRefused)
                .description("queries refused by trustbl.dns.allow-query").register(metrics);
        FunctionCounter.builder("trustbl.dns.latency.total.seconds", m, x -> x.latencyTotalNanos() / 1e9)
                .description("exact total answer time (the timer's sum is bucket-rounded)").register(metrics);
        Duration[] slos = new Duration[DnsMetrics.LATENCY_BOUNDS_MICROS.length];
        for (int i = 0; i < slos.length; i++) {
            slos[i] = Duration.ofNanos(DnsMetrics.LATENCY_BOUNDS_MICROS[i] * 1000);
        }
        latency = Timer.builder("trustbl.dns.latency")
                .description("time to answer a query (histogram buckets = the responder's own buckets)")
                .serviceLevelObjectives(slos)
                .register(metrics);
        latencySeen = new long[DnsMetrics.LATENCY_BOUNDS_MICROS.length + 1];
        Gauge.builder("trustbl.dns.zone.serial", zone, ZoneData::serial).register(metrics);
    }

    private Timer latency;
    private long[] latencySeen;

    /**
     * Moves the responder's latency bucket counts into the Micrometer timer: each new query in a
     * bucket is recorded at the bucket's upper bound, so the exported histogram buckets (the same
     * bounds) are exact while the hot path keeps its plain per-thread increments.
     */
    @Scheduled(every = "${trustbl.dns.metrics-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void pollLatency() {
        if (server == null || latency == null) {
            return;
        }
        long[] now = server.metrics().latencyHistogram();
        long[] bounds = DnsMetrics.LATENCY_BOUNDS_MICROS;
        for (int i = 0; i < now.length; i++) {
            long n = now[i] - latencySeen[i];
            latencySeen[i] = now[i];
            long nanos = (i < bounds.length ? bounds[i] : bounds[bounds.length - 1] * 2) * 1000;
            for (long k = 0; k < n; k++) {
                latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The exported latency timer (tests). */
    Timer latencyTimer() {
        pollLatency();
        return latency;
    }

    public ZoneData zone() {
        return zone;
    }

    /** The allow zone's data (trusted senders). */
    public ZoneData allowZone() {
        return allowZone;
    }

    public DnsConfig dnsConfig() {
        return dnsConfig;
    }

    /** The port actually bound (tests bind port 0). */
    public int boundPort() {
        return server == null ? -1 : server.boundPort();
    }

    /** Which UDP path answers ({@code trustbl.dns.udp-io}), as the start-up line shows it. */
    public String udpDescription() {
        return server == null ? "stopped" : server.udpDescription();
    }
}
