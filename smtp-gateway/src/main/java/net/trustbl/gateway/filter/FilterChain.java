package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import net.trustbl.gateway.stats.GatewayStats;
import net.trustbl.gateway.transaction.Transaction;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final String refusalInfo;
    private final List<Filter> ordered;
    private final RecipientPolicies policies;

    /** Room for the reason in a reply line (RFC 5321: 512 octets with code, status and CRLF). */
    static final int MAX_REASON = 380;

    public FilterChain(List<Filter> ordered, GatewayStats stats) {
        this(ordered, stats, Map.of());
    }

    public FilterChain(List<Filter> ordered, GatewayStats stats, Map<String, Set<String>> skippedByPolicy) {
        this(ordered, stats, skippedByPolicy, null);
    }

    /** {@code refusalInfo}: a URL or contact named in every refusal (gateway.refusal-info), or null. */
    public FilterChain(List<Filter> ordered, GatewayStats stats, Map<String, Set<String>> skippedByPolicy, String refusalInfo) {
        this(ordered, stats, skippedByPolicy, refusalInfo, RecipientPolicies.NONE);
    }

    /** A whole configuration snapshot: filters, per-policy skips, refusal info and the recipient grouping. */
    public FilterChain(List<Filter> ordered, GatewayStats stats, Map<String, Set<String>> skippedByPolicy, String refusalInfo,
                       RecipientPolicies policies) {
        this.stats = stats;
        this.ordered = List.copyOf(ordered);
        this.policies = policies;
        this.refusalInfo = refusalInfo == null || refusalInfo.isBlank() ? null : refusalInfo.trim();
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

    /** The filter of this chain with that name (gateway.filters), if it is in the chain. */
    public Optional<Filter> find(String name) {
        return ordered.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The RFC 5782 probe results of this chain's DNS lists ({@code fallback}'s when the chain has no dnsbl filter). */
    public Map<String, String> dnsblStatus(DnsblFilter fallback) {
        return find("dnsbl").filter(DnsblFilter.class::isInstance).map(f -> ((DnsblFilter) f).siteStatus())
                .orElseGet(fallback::siteStatus);
    }

    /** Recipient policy of a recipient under this chain's configuration. */
    public String policyOf(String recipient) {
        return policies.policyOf(recipient);
    }

    /**
     * Every refusal names its reason, the check that made it, the session id and where to learn
     * more, so that the sender's postmaster can quote it and the operator can find the session on
     * the console and correct a false refusal.
     */
    Verdict explained(Verdict v, String filter, Transaction tx) {
        if (v.kind() != Verdict.Kind.REJECT && v.kind() != Verdict.Kind.TEMPFAIL && v.kind() != Verdict.Kind.DISCONNECT) {
            return v;
        }
        String reason = v.text() == null ? "" : v.text();
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON) + "...";
        }
        String tail = " (" + filter + (tx.sessionId == null ? "" : ", session " + tx.sessionId)
                + (refusalInfo == null ? "" : "; " + refusalInfo) + ")";
        return new Verdict(v.kind(), v.code(), v.status(), reason + tail, v.header(), v.subjectPrefix());
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
        }).compose(raw -> {
            Verdict v = explained(raw, filter.name(), tx);
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
                stats.rejection(tx.sessionId, tx.clientAddress, tx.mailFrom, tx.rcpt, filter.name(),
                        v.code() + " " + v.status() + " " + v.text());
            }
            return v.stopsChain() ? Future.succeededFuture(v) : step(filters, index + 1, stage, tx);
        });
    }
}
