package net.trustbl.gateway.filter;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsAnswer;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.dns.DnsblSite;
import net.trustbl.gateway.stats.GatewayStats;
import net.trustbl.gateway.transaction.Transaction;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DNSBL/DNSWL scoring in postscreen style: every zone is asked in parallel at connect, the
 * weights of the zones whose answer passes their filter add up (negative weights allow-list).
 * The score is then judged against the threshold of the recipient's policy at RCPT: reject
 * (550 5.7.1 quoting the list's TXT), defer (451 4.7.1), tag (header, subject prefix) or log.
 * A client whose score reaches every policy's reject threshold is refused at connect, which
 * costs one cached lookup; the refusal is 550 5.7.1 quoting the TXT there too. A failed lookup in
 * one zone never hides a listing in another: when the zones that answered already reach the
 * threshold the client is refused; only below it does the failure give 451 4.4.3 (rblsmtpd -c),
 * or, fail-open, the answered zones alone are judged.
 */
@ApplicationScoped
public class DnsblFilter implements Filter {

    private static final Logger LOG = Logger.getLogger(DnsblFilter.class);

    private final Vertx vertx;
    private final GatewayStats stats;
    private final DnsLookup dns;
    private final GatewayConfig.Dnsbl conf;
    private final List<DnsblSite> sites;
    private final Map<String, Integer> policyThresholds = new ConcurrentHashMap<>();
    private final int connectRejectThreshold;
    /** zone → "ok", "dead: why" or "unknown" from the RFC 5782 probe. */
    private final Map<String, String> status = new ConcurrentHashMap<>();

    public DnsblFilter(Vertx vertx, DnsLookup dns, GatewayConfig config, GatewayStats stats) {
        this.vertx = vertx;
        this.stats = stats;
        this.dns = dns;
        this.conf = config.dnsbl();
        this.sites = DnsblSite.parseList("none".equalsIgnoreCase(conf.sites().trim()) ? "" : conf.sites());
        int max = conf.threshold();
        for (var e : config.recipients().policies().entrySet()) {
            if (e.getValue().dnsblThreshold().isPresent()) {
                int t = e.getValue().dnsblThreshold().get();
                policyThresholds.put(e.getKey(), t);
                max = Math.max(max, t);
            }
        }
        connectRejectThreshold = max;
        sites.forEach(s -> status.put(s.zone(), "unknown"));
    }

    @Override
    public String name() {
        return "dnsbl";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.CONNECT, Stage.RCPT, Stage.END_OF_DATA);
    }

    /** Runs before the SMTP listener opens (lower priority number first), so no dead list is ever used. */
    void onStart(@Observes @Priority(10) StartupEvent ev) {
        if (sites.isEmpty()) {
            return;
        }
        try {
            probe().toCompletionStage().toCompletableFuture()
                    .get(conf.timeout().toMillis() * 3 + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("RFC 5782 probe of the DNS lists did not finish at start: %s", e.toString());
        }
        vertx.setPeriodic(conf.probeInterval().toMillis(), t -> probe());
    }

    /** RFC 5782: 127.0.0.2 must be listed and 127.0.0.1 must not; a list that fails is not used. */
    public Future<Void> probe() {
        List<Future<?>> all = new ArrayList<>();
        for (DnsblSite site : sites) {
            Future<DnsAnswer> two = dns.a(site.queryName(ip("127.0.0.2")));
            Future<DnsAnswer> one = dns.a(site.queryName(ip("127.0.0.1")));
            all.add(Future.join(two, one).onComplete(ar -> {
                DnsAnswer a2 = two.result();
                DnsAnswer a1 = one.result();
                String was = status.get(site.zone());
                String now;
                if (a2 == null || a1 == null || a2.failed() || a1.failed()) {
                    now = was.startsWith("dead") ? was : "unknown";
                } else if (!a2.found()) {
                    now = "dead: 127.0.0.2 not listed (RFC 5782 test entry missing)";
                } else if (a1.found()) {
                    now = "dead: 127.0.0.1 is listed (the list answers everything)";
                } else {
                    now = "ok";
                }
                status.put(site.zone(), now);
                if (!now.equals(was)) {
                    if (now.startsWith("dead")) {
                        LOG.errorf("DNSBL %s is not used: %s", site.zone(), now);
                    } else {
                        LOG.infof("DNSBL %s probe: %s", site.zone(), now);
                    }
                }
            }));
        }
        return Future.join(all).mapEmpty();
    }

    public Map<String, String> siteStatus() {
        return new LinkedHashMap<>(status);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        if (tx.allowListed() || sites.isEmpty()) {
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        return switch (stage) {
            case CONNECT -> score(tx).compose(v -> atConnect(tx));
            case RCPT -> atRcpt(tx);
            case END_OF_DATA -> Future.succeededFuture(atEndOfData(tx));
            default -> Future.succeededFuture(Verdict.CONTINUE);
        };
    }

    private record Hit(DnsblSite site, String reason) {
    }

    private Future<Void> score(Transaction tx) {
        List<Future<DnsAnswer>> answers = new ArrayList<>();
        List<DnsblSite> asked = new ArrayList<>();
        for (DnsblSite site : sites) {
            if (status.getOrDefault(site.zone(), "unknown").startsWith("dead")) {
                continue;
            }
            asked.add(site);
            answers.add(dns.a(site.queryName(tx.clientIp)));
        }
        return Future.join(new ArrayList<>(answers)).otherwiseEmpty().map(x -> {
            int score = 0;
            int failedAllowWeight = 0;
            boolean failed = false;
            StringBuilder zones = new StringBuilder();
            for (int i = 0; i < asked.size(); i++) {
                DnsAnswer a = answers.get(i).result();
                DnsblSite site = asked.get(i);
                if (a == null || a.failed()) {
                    // a failed allow list (weight <= 0) can only have spared the client: never a 451 for it
                    failed |= site.weight() > 0;
                    failedAllowWeight += Math.min(0, site.weight());
                    continue;
                }
                if (!a.found()) {
                    continue;
                }
                if (a.records().stream().anyMatch(DnsblSite::errorCode)) {
                    LOG.warnf("DNSBL %s answered an error code %s: not a listing, lookup counted as failed",
                            site.zone(), a.records());
                    failed |= site.weight() > 0;
                    failedAllowWeight += Math.min(0, site.weight());
                    continue;
                }
                if (a.records().stream().anyMatch(site::matches)) {
                    stats.dnsblHit(site.zone());
                    score += site.weight();
                    if (site.weight() > 0 && tx.dnsblReason == null) {
                        tx.dnsblReason = site.zone();
                    }
                    zones.append(zones.length() == 0 ? "" : ",").append(site.zone()).append('=').append(site.weight());
                }
            }
            tx.dnsblScore = score;
            tx.dnsblFloor = score + failedAllowWeight;
            tx.dnsblFailed = failed;
            if (failed) {
                LOG.warnf("DNSBL lookup failed for %s (%s)", tx.clientAddress, conf.failOpen() ? "fail-open" : "451 4.4.3");
            }
            if (score != 0) {
                LOG.debugf("DNSBL score %d for %s: %s", score, tx.clientAddress, zones); // the verdict line says the rest
            }
            return null;
        });
    }

    private Future<Verdict> atConnect(Transaction tx) {
        // a zone that failed cannot hide a listing the others reported: the floor counts only what
        // a failed allow list could have taken off
        if (conf.rejectAtConnect() && "reject".equals(conf.action()) && tx.dnsblFloor >= connectRejectThreshold) {
            return listingText(tx).map(text -> Verdict.disconnect(550, "5.7.1", text));
        }
        return Future.succeededFuture(Verdict.CONTINUE);
    }

    private Future<Verdict> atRcpt(Transaction tx) {
        if (tx.dnsblScore == null || tx.allowListedForRecipient) {
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        int threshold = policyThresholds.getOrDefault(tx.rcptPolicy == null ? "default" : tx.rcptPolicy, conf.threshold());
        // what the zones that answered already prove decides; only when that is below the
        // threshold does a failed zone matter: 451 4.4.3 (fail-closed) or judge what answered (fail-open)
        boolean proven = tx.dnsblFloor != null && tx.dnsblFloor >= threshold;
        if (tx.dnsblFailed && !proven && !conf.failOpen()) {
            return Future.succeededFuture(Verdict.tempfail(451, "4.4.3", "DNSBL lookup failed, try again later"));
        }
        if (tx.dnsblFailed ? proven : tx.dnsblScore >= threshold) {
            switch (conf.action()) {
                case "reject":
                    return listingText(tx).map(text -> Verdict.reject(550, "5.7.1", text));
                case "defer":
                    return Future.succeededFuture(Verdict.tempfail(451, "4.7.1",
                            "Client " + tx.clientAddress + " has a poor reputation (score " + tx.dnsblScore + "), try again later"));
                case "tag":
                    return Future.succeededFuture(Verdict.CONTINUE); // tagged at the end of data
                default:
                    // action=log: nothing is refused, but the operator sees what would have been
                    LOG.infof("DNSBL log-only: client %s scores %d (threshold %d, zone %s), rcpt=%s accepted",
                            tx.clientAddress, tx.dnsblScore, threshold, tx.dnsblReason, tx.rcpt);
                    stats.verdict("dnsbl", "log");
                    return Future.succeededFuture(Verdict.CONTINUE);
            }
        }
        if (conf.deferThreshold().isPresent() && tx.dnsblScore >= conf.deferThreshold().get()) {
            return Future.succeededFuture(Verdict.tempfail(451, "4.7.1",
                    "Client " + tx.clientAddress + " has a poor reputation (score " + tx.dnsblScore + "), try again later"));
        }
        return Future.succeededFuture(Verdict.CONTINUE);
    }

    private Verdict atEndOfData(Transaction tx) {
        if (tx.dnsblScore == null || tx.dnsblScore <= 0) {
            return Verdict.CONTINUE;
        }
        boolean tag = ("tag".equals(conf.action()) && tx.dnsblScore >= conf.threshold())
                || (conf.tagThreshold().isPresent() && tx.dnsblScore >= conf.tagThreshold().get());
        if (!tag) {
            return Verdict.CONTINUE; // "log": the score was logged at connect
        }
        return Verdict.tag("X-TrustBL-DNSBL: score=" + tx.dnsblScore + " client=" + tx.clientAddress
                + (tx.dnsblReason == null ? "" : " zone=" + tx.dnsblReason), conf.tagSubjectPrefix());
    }

    /** "Client host [ip] blocked using zone; <TXT with the list's explanation URL>" */
    private Future<String> listingText(Transaction tx) {
        DnsblSite site = sites.stream().filter(s -> s.zone().equals(tx.dnsblReason)).findFirst().orElse(null);
        String base = "Client host [" + tx.clientAddress + "] blocked using " + (site == null ? "DNSBL" : site.zone());
        if (site == null) {
            return Future.succeededFuture(base);
        }
        return dns.txt(site.queryName(tx.clientIp))
                .map(t -> t.found() ? base + "; " + t.records().get(0) : base)
                .otherwise(base);
    }
}
