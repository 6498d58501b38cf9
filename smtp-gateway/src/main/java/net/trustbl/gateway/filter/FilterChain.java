package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import net.trustbl.gateway.console.GatewayStats;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the configured filters of one stage in order until one stops the chain. Every verdict
 * other than CONTINUE is logged and every verdict is counted by filter name.
 */
public final class FilterChain {

    private static final Logger LOG = Logger.getLogger(FilterChain.class);

    private final Map<Stage, List<Filter>> byStage = new EnumMap<>(Stage.class);
    private final GatewayStats stats;
    /** Recipient policy → filter names that do not run for its recipients (RCPT and end of data). */
    private final Map<String, Set<String>> skippedByPolicy;

    public FilterChain(List<Filter> ordered, GatewayStats stats) {
        this(ordered, stats, Map.of());
    }

    public FilterChain(List<Filter> ordered, GatewayStats stats, Map<String, Set<String>> skippedByPolicy) {
        this.stats = stats;
        this.skippedByPolicy = Map.copyOf(skippedByPolicy);
        for (Stage s : Stage.values()) {
            List<Filter> list = new ArrayList<>();
            for (Filter f : ordered) {
                if (f.stages().contains(s)) {
                    list.add(f);
                }
            }
            byStage.put(s, List.copyOf(list));
        }
    }

    public List<Filter> filters(Stage stage) {
        return byStage.get(stage);
    }

    private boolean skipped(Filter filter, Stage stage, Transaction tx) {
        if (skippedByPolicy.isEmpty() || (stage != Stage.RCPT && stage != Stage.END_OF_DATA)) {
            return false;
        }
        String policy = stage == Stage.RCPT ? tx.rcptPolicy : tx.policy;
        Set<String> skip = skippedByPolicy.get(policy == null ? "default" : policy);
        return skip != null && skip.contains(filter.name());
    }

    /** Final verdict of the stage: the first stopping verdict, else CONTINUE (tags applied on the way). */
    public Future<Verdict> run(Stage stage, Transaction tx) {
        return step(byStage.get(stage), 0, stage, tx);
    }

    private Future<Verdict> step(List<Filter> filters, int index, Stage stage, Transaction tx) {
        if (index >= filters.size()) {
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        Filter filter = filters.get(index);
        if (skipped(filter, stage, tx)) {
            return step(filters, index + 1, stage, tx);
        }
        Future<Verdict> result;
        try {
            result = filter.check(stage, tx);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        return result.recover(e -> {
            // a broken filter must not accept mail it could not judge: try again later
            LOG.errorf(e, "filter %s failed at %s for %s", filter.name(), stage, tx.clientAddress);
            return Future.succeededFuture(Verdict.tempfail(451, "4.3.0", "Temporary local problem, try again later"));
        }).compose(v -> {
            stats.verdict(filter.name(), v.label());
            if (v.kind() == Verdict.Kind.TAG) {
                tx.addedHeaders.add(v.header());
                if (v.subjectPrefix() != null && !v.subjectPrefix().isEmpty()) {
                    tx.subjectPrefix = v.subjectPrefix();
                }
            }
            if (v.kind() != Verdict.Kind.CONTINUE) {
                LOG.infof("%s %s %s from=%s rcpt=%s: %s %d %s %s", stage, filter.name(), v.label(),
                        tx.mailFrom, tx.rcpt, tx.clientAddress, v.code(), v.status(), v.text());
            }
            if (v.kind() == Verdict.Kind.REJECT || v.kind() == Verdict.Kind.TEMPFAIL
                    || v.kind() == Verdict.Kind.DISCONNECT) {
                stats.rejection(tx.clientAddress, filter.name(), v.code() + " " + v.status() + " " + v.text());
            }
            return v.stopsChain() ? Future.succeededFuture(v) : step(filters, index + 1, stage, tx);
        });
    }
}
