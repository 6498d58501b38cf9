package net.trustbl.gateway.reload;

import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.filter.Filter;
import net.trustbl.gateway.filter.FilterChain;
import net.trustbl.gateway.filter.RecipientPolicies;
import net.trustbl.gateway.stats.GatewayStats;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Puts a whole filter chain together from one configuration: the filters of gateway.filters in
 * order, the per-policy skips and the recipient grouping. Used at start (with the CDI filters) and
 * on every reload (with fresh filters), so both check the configuration the same way.
 */
public final class ChainAssembly {

    private static final Logger LOG = Logger.getLogger(ChainAssembly.class);

    private ChainAssembly() {
    }

    /**
     * @param filterNamed the filter of that name built for {@code config}, or null when no filter has it
     * @param known       every filter name there is (named in the error for an unknown one)
     * @throws IllegalStateException naming the key when gateway.filters or a skip-filters list names an unknown filter
     */
    public static FilterChain assemble(GatewayConfig config, Function<String, Filter> filterNamed, Set<String> known,
                                       GatewayStats stats) {
        List<Filter> ordered = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : config.filters()) {
            String n = name.trim();
            if (n.equals("tarpit")) {
                // the tarpit follows errors in every command now, not a chain stage
                LOG.warn("gateway.filters: 'tarpit' is no longer a filter; the error delays are set with gateway.tarpit.*");
                continue;
            }
            if (!known.contains(n)) {
                throw new IllegalStateException("gateway.filters names an unknown filter '" + n + "'; known: " + known);
            }
            if (seen.add(n)) {
                ordered.add(filterNamed.apply(n));
            }
        }
        Map<String, Set<String>> skipped = new HashMap<>();
        Map<String, List<String>> recipients = new HashMap<>();
        config.recipients().policies().forEach((name, p) -> {
            recipients.put(name, p.recipients());
            p.skipFilters().ifPresent(names -> {
                for (String n : names) {
                    if (!known.contains(n.trim())) {
                        throw new IllegalStateException("gateway.recipients.policies." + name + ".skip-filters names an unknown filter '"
                                + n.trim() + "'; known: " + known);
                    }
                }
                skipped.put(name, names.stream().map(String::trim).collect(Collectors.toUnmodifiableSet()));
            });
        });
        return new FilterChain(ordered, stats, skipped, config.refusalInfo().orElse(null), new RecipientPolicies(recipients));
    }
}
