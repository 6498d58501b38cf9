package net.trustbl.gateway.filter;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.greylist.GreylistStore;
import net.trustbl.gateway.transaction.Transaction;
import org.jboss.logging.Logger;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Greylisting (postgrey rules) at RCPT: an unknown triplet (client /24 or /64, normalised sender, recipient)
 * is deferred 451 4.7.1 until the delay has passed; retries within the window pass; clients with
 * enough passes are let through directly. A network with max-pending-per-network triplets that have not
 * passed yet gets the same deferral for a new triplet, without a row. The database call runs on a worker thread.
 */
@ApplicationScoped
public class GreylistFilter implements Filter {

    private static final Logger LOG = Logger.getLogger(GreylistFilter.class);

    private final Vertx vertx;
    private final GreylistStore store;
    private final GatewayConfig.Greylist conf;
    private final Map<String, Boolean> perPolicy = new HashMap<>();
    private final KnownSenders knownSenders;

    public GreylistFilter(Vertx vertx, GreylistStore store, GatewayConfig config) {
        this.vertx = vertx;
        this.store = store;
        this.conf = config.greylist();
        config.recipients().policies().forEach((name, p) -> p.greylist().ifPresent(g -> perPolicy.put(name, g)));
        this.knownSenders = KnownSenders.of(conf);
        LOG.debugf("greylisting skips %d known sender networks", knownSenders.size());
    }

    /**
     * Good senders are never delayed: allow-listed clients, big senders' pools that retry from
     * other addresses, and clients a DNSWL vouches for (a score at or below skip-score).
     */
    boolean spared(Transaction tx) {
        return tx.allowListed() || knownSenders.contains(tx.clientIp)
                || tx.dnsblScore != null && tx.dnsblScore <= conf.skipScore();
    }

    @Override
    public String name() {
        return "greylist";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.RCPT);
    }

    void onStart(@Observes StartupEvent ev) {
        if (conf.enabled()) {
            vertx.setPeriodic(conf.cleanupInterval().toMillis(), t -> vertx.executeBlocking(() -> store.cleanup(), false)
                    .onSuccess(n -> LOG.debugf("greylist cleanup removed %d records", n))
                    .onFailure(e -> LOG.warn("greylist cleanup failed", e)));
        }
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        boolean enabled = perPolicy.getOrDefault(tx.rcptPolicy == null ? "default" : tx.rcptPolicy, conf.enabled());
        if (!enabled || spared(tx)) {
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        String net = GreylistStore.clientNet(tx.clientIp);
        String sender = SenderNormalizer.normalize(tx.mailFrom);
        String rcpt = tx.rcpt;
        return vertx.executeBlocking(() -> store.check(net, sender, rcpt), false).map(r -> switch (r.outcome()) {
            case PASS -> Verdict.CONTINUE;
            case NEW, TOO_EARLY, FULL -> Verdict.tempfail(451, "4.7.1",
                    "Greylisted, please try again in " + r.waitSeconds() + " seconds");
        });
    }
}
