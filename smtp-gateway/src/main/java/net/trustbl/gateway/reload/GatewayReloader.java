package net.trustbl.gateway.reload;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import net.trustbl.config.KnownKeys;
import net.trustbl.config.UnknownKeys;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.filter.DnsblFilter;
import net.trustbl.gateway.filter.FilterChain;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.stats.GatewayStats;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reloads lists, rules, DNSBL sites and filter settings without a restart, on a change of a
 * watched file, on SIGHUP and on POST /console/reload. The whole new chain is built and checked
 * first and then installed with one reference swap; a session keeps the chain it started with.
 * Anything wrong (unparseable file, unknown key, bad value, bad CIDR or list line) keeps the old
 * configuration and is answered and logged with the file and line where known.
 */
@ApplicationScoped
public class GatewayReloader {

    private static final Logger LOG = Logger.getLogger(GatewayReloader.class);

    private final Vertx vertx;
    private final SmtpServer server;
    private final FilterFactory factory;
    private final GatewayStats stats;
    private final GatewayConfig startConfig;
    private final KnownKeys known = KnownKeys.fromMappings(GatewayConfig.class);
    private ConfigSnapshots snapshots;
    /** Reloadable gateway.* values of the chain in use (restart-only keys left out). */
    private Map<String, String> inUse;
    /** Content of each watched file at the last attempt: a bad file is tried again only once it changes. */
    private final Map<Path, String> seen = new HashMap<>();
    /** Content at the watcher's previous look (touched by the watcher only, one poll at a time). */
    private Map<Path, String> previousPoll = Map.of();
    private volatile Path knownSendersFile;
    private String knownSendersInUse;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile ReloadOutcome last;
    /** See {@link #sighupHandled()}. */
    private volatile boolean sighupHandled;
    /** The files' keys outside gateway.* (quarkus.http.port, quarkus.datasource…) at start: they all need a restart. */
    private Map<String, String> otherKeysAtStart = Map.of();

    public GatewayReloader(Vertx vertx, SmtpServer server, FilterFactory factory, GatewayStats stats, GatewayConfig config) {
        this.vertx = vertx;
        this.server = server;
        this.factory = factory;
        this.stats = stats;
        this.startConfig = config;
    }

    /** After the start chain (StartChain, priority 90) and the SMTP server's start (priority 100). */
    void onStart(@Observes @Priority(150) StartupEvent ev) {
        snapshots = new ConfigSnapshots(ConfigProvider.getConfig(), known);
        try {
            otherKeysAtStart = otherKeys(read(snapshots.watchedFiles()));
        } catch (Refused e) {
            LOG.warnf("the config files cannot be read again as they are: %s", e.problems);
        }
        inUse = reloadable(snapshots.gatewayValues(ConfigProvider.getConfig()));
        knownSendersFile = startConfig.greylist().knownSendersFile().map(Path::of).orElse(null);
        knownSendersInUse = FileDigest.of(knownSendersFile);
        seen.putAll(digests());
        GatewayConfig.Reload conf = startConfig.reload();
        if (conf.watch()) {
            vertx.setPeriodic(conf.pollInterval().toMillis(), t -> {
                if (polling.compareAndSet(false, true)) { // one look at a time; a slow reload skips ticks
                    vertx.executeBlocking(() -> {
                        reloadIfFilesChanged();
                        return null;
                    }, false).onComplete(ar -> polling.set(false));
                }
            });
        }
        boolean sighup = conf.sighup() && SignalHookup.install("HUP", () -> reload("SIGHUP"));
        sighupHandled = sighup;
        // the start chain's DNSBL filter probes itself; a reloaded one is probed here
        vertx.setPeriodic(startConfig.dnsbl().probeInterval().toMillis(), t -> {
            if (applied.get() > 0) {
                dnsblOf(server.chain()).ifPresent(DnsblFilter::probe);
            }
        });
        LOG.infof("configuration reload: %s; SIGHUP %s; POST /console/reload on the console",
                conf.watch() ? "watching " + watchedFiles() : "file watch off", sighup ? "reloads" : "not handled");
    }

    /** The operator files a reload reads, and the greylist known-senders file. */
    public List<Path> watchedFiles() {
        List<Path> files = new ArrayList<>(snapshots.watchedFiles());
        if (knownSendersFile != null) {
            files.add(knownSendersFile);
        }
        return files;
    }

    /**
     * Whether SIGHUP reloads. False when switched off, or when the process was started with SIGHUP
     * ignored (under nohup): the JVM then refuses a handler and only the file watch and the console reload.
     */
    public boolean sighupHandled() {
        return sighupHandled;
    }

    public ReloadOutcome lastOutcome() {
        return last;
    }

    /** The value of a reloadable gateway.* key in the chain new sessions get (restart-only keys: none). */
    public synchronized Optional<String> valueInUse(String key) {
        return Optional.ofNullable(inUse.get(key));
    }

    /** How many reloads have installed a new chain since start. */
    public long appliedCount() {
        return applied.get();
    }

    private Map<Path, String> digests() {
        Map<Path, String> now = new HashMap<>();
        watchedFiles().forEach(p -> now.put(p, FileDigest.of(p)));
        return now;
    }

    /**
     * Called by the watcher: reloads when a watched file's content differs from the last attempt
     * and has stayed the same for one poll, so a file caught half written is not used.
     */
    synchronized void reloadIfFilesChanged() {
        Map<Path, String> now = digests();
        boolean settled = now.equals(previousPoll);
        previousPoll = now;
        List<String> changed = new ArrayList<>();
        now.forEach((p, d) -> {
            if (!Objects.equals(seen.get(p), d)) {
                changed.add(p.getFileName().toString());
            }
        });
        if (settled && !changed.isEmpty()) {
            reload("file change (" + String.join(", ", changed) + ")");
        }
    }

    /** Builds and checks a whole new chain from the files as they are now, then installs it, or keeps the old one. */
    public synchronized ReloadOutcome reload(String trigger) {
        seen.clear();
        seen.putAll(digests());
        List<Path> paths = snapshots.watchedFiles();
        List<String> names = paths.stream().map(Path::toString).toList();
        ReloadOutcome outcome;
        try {
            outcome = apply(trigger, names, read(paths));
        } catch (Refused e) {
            outcome = ReloadOutcome.refused(trigger, names, e.problems);
        } catch (RuntimeException e) {
            LOG.error("configuration reload failed", e);
            outcome = ReloadOutcome.refused(trigger, names, List.of("reload failed: " + e));
        }
        last = outcome;
        if (outcome.applied()) {
            // counted only after the outcome is published: whoever sees the count grow reads this
            // outcome (or a later one) from lastOutcome(), never the one before it
            applied.incrementAndGet();
            seen.putAll(digests()); // the known-senders file may be another one now
            LOG.infof("configuration reloaded (%s) from %s: changed %s; needs restart, kept as running: %s", trigger, names,
                    outcome.changed().isEmpty() ? "nothing" : outcome.changed(),
                    outcome.needsRestart().isEmpty() ? "nothing" : outcome.needsRestart());
        } else {
            LOG.errorf("configuration NOT reloaded (%s), the running configuration stays: %s", trigger, outcome.problems());
        }
        return outcome;
    }

    private static Map<Path, PropertiesFile> read(List<Path> paths) throws Refused {
        Map<Path, PropertiesFile> files = new HashMap<>();
        for (Path p : paths) {
            try {
                files.put(p, PropertiesFile.read(p));
            } catch (IOException e) {
                throw new Refused(List.of("cannot read " + p + ": " + e));
            } catch (IllegalArgumentException e) {
                throw new Refused(List.of(e.getMessage()));
            }
        }
        return files;
    }

    private ReloadOutcome apply(String trigger, List<String> names, Map<Path, PropertiesFile> files) throws Refused {
        List<ConfigSource> sources = snapshots.withFiles(files);
        Map<String, String> values;
        List<String> problems;
        try {
            SmallRyeConfig plain = snapshots.plain(sources);
            values = snapshots.gatewayValues(plain);
            problems = new ArrayList<>(UnknownKeys.problems(plain, "gateway.", known));
        } catch (RuntimeException e) {
            throw new Refused(located(List.of(String.valueOf(e.getMessage())), files));
        }
        GatewayConfig config = null;
        FilterChain chain = null;
        if (problems.isEmpty()) {
            try {
                config = snapshots.mapped(sources);
                GatewayConfig c = config;
                chain = ChainAssembly.assemble(c, n -> factory.create(n, c), factory.names(), stats);
            } catch (ConfigValidationException e) {
                for (int i = 0; i < e.getProblemCount(); i++) {
                    problems.add(e.getProblem(i).getMessage());
                }
            } catch (RuntimeException e) {
                problems.add(String.valueOf(e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(located(problems, files));
        }
        probeFirst(chain);
        server.install(chain);
        return new ReloadOutcome(true, Instant.now(), trigger, names, recordChanges(values, config),
                needsRestart(values, files), List.of());
    }

    /** Changed reloadable keys (and the known-senders file); the new values become the ones in use. */
    private List<String> recordChanges(Map<String, String> values, GatewayConfig config) {
        Map<String, String> next = reloadable(values);
        TreeSet<String> changed = new TreeSet<>();
        TreeSet<String> keys = new TreeSet<>(inUse.keySet());
        keys.addAll(next.keySet());
        for (String k : keys) {
            if (!Objects.equals(inUse.get(k), next.get(k))) {
                changed.add(k);
            }
        }
        inUse = next;
        knownSendersFile = config.greylist().knownSendersFile().map(Path::of).orElse(null);
        String digest = FileDigest.of(knownSendersFile);
        if (!Objects.equals(digest, knownSendersInUse)) {
            changed.add("greylist known-senders file" + (knownSendersFile == null ? "" : " " + knownSendersFile));
        }
        knownSendersInUse = digest;
        return List.copyOf(changed);
    }

    private List<String> needsRestart(Map<String, String> values, Map<Path, PropertiesFile> files) {
        Map<String, String> pinned = snapshots.pinned();
        TreeSet<String> keys = new TreeSet<>(pinned.keySet());
        values.keySet().stream().filter(RestartKeys::needsRestart).forEach(keys::add);
        List<String> changed = new ArrayList<>(keys.stream().filter(k -> !Objects.equals(pinned.get(k), values.get(k))).toList());
        Map<String, String> others = otherKeys(files);
        TreeSet<String> otherNames = new TreeSet<>(others.keySet());
        otherNames.addAll(otherKeysAtStart.keySet());
        otherNames.stream().filter(k -> !Objects.equals(otherKeysAtStart.get(k), others.get(k))).forEach(changed::add);
        return changed;
    }

    /** Keys of the files that are not the gateway's own (Quarkus: ports, database, logging). */
    private static Map<String, String> otherKeys(Map<Path, PropertiesFile> files) {
        Map<String, String> others = new TreeMap<>();
        files.values().forEach(f -> f.values().forEach((k, v) -> {
            if (!RestartKeys.withoutProfile(k).startsWith("gateway.")) {
                others.put(k, v);
            }
        }));
        return others;
    }

    private static Map<String, String> reloadable(Map<String, String> values) {
        Map<String, String> live = new TreeMap<>(values);
        live.keySet().removeIf(RestartKeys::needsRestart);
        return live;
    }

    private static List<String> located(List<String> problems, Map<Path, PropertiesFile> files) {
        List<String> out = new ArrayList<>();
        for (String problem : problems) {
            String where = files.values().stream().map(f -> f.locate(problem)).filter(Objects::nonNull).findFirst().orElse(null);
            out.add(where == null ? problem : problem + " (" + where + ")");
        }
        return out;
    }

    /** A new DNSBL filter knows no dead list yet: probe it (RFC 5782) before it judges anyone. */
    private void probeFirst(FilterChain chain) {
        dnsblOf(chain).ifPresent(d -> {
            Duration wait = startConfig.dnsbl().timeout().multipliedBy(3).plusSeconds(1);
            try {
                d.probe().toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warnf("RFC 5782 probe of the reloaded DNS lists did not finish: %s", e.toString());
            }
        });
    }

    private static Optional<DnsblFilter> dnsblOf(FilterChain chain) {
        return chain.find("dnsbl").filter(DnsblFilter.class::isInstance).map(DnsblFilter.class::cast);
    }

    /** Why a reload was refused; the old configuration stays. */
    private static final class Refused extends Exception {
        final List<String> problems;

        Refused(List<String> problems) {
            super(String.join("; ", problems), null, false, false);
            this.problems = problems;
        }
    }
}
