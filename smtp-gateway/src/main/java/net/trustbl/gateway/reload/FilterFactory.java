package net.trustbl.gateway.reload;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.filter.AllowDenyFilter;
import net.trustbl.gateway.filter.AttachmentFilter;
import net.trustbl.gateway.budget.SpoolDisk;
import net.trustbl.gateway.filter.ContentFilter;
import net.trustbl.gateway.filter.DnsblFilter;
import net.trustbl.gateway.filter.ExternalCheckFilter;
import net.trustbl.gateway.filter.FcrdnsFilter;
import net.trustbl.gateway.filter.Filter;
import net.trustbl.gateway.filter.GreylistFilter;
import net.trustbl.gateway.filter.HeloDnsFilter;
import net.trustbl.gateway.filter.RecipientsFilter;
import net.trustbl.gateway.filter.SanityFilter;
import net.trustbl.gateway.filter.SenderDomainFilter;
import net.trustbl.gateway.filter.SizeFilter;
import net.trustbl.gateway.filter.SpamTrapFilter;
import net.trustbl.gateway.filter.SpfFilter;
import net.trustbl.gateway.greylist.GreylistStore;
import net.trustbl.gateway.stats.GatewayStats;
import net.trustbl.gateway.traps.TrapBlocks;
import net.trustbl.gateway.traps.TrapHitQueue;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds fresh filters from a reloaded configuration. What a filter reads from the configuration
 * (lists, rules, sites, actions) is new; what it shares with the running gateway (DNS cache,
 * greylist and trap stores, statistics) is the same object, so a reload loses no state.
 */
@ApplicationScoped
public class FilterFactory {

    private final Map<String, Function<GatewayConfig, Filter>> makers;

    public FilterFactory(Vertx vertx, DnsLookup dns, GatewayStats stats, GreylistStore greylist,
                         TrapHitQueue trapHits, TrapBlocks trapBlocks, SpoolDisk spoolDisk) {
        makers = Map.ofEntries(
                Map.entry("allow-deny", AllowDenyFilter::new),
                Map.entry("sanity", SanityFilter::new),
                Map.entry("dnsbl", c -> new DnsblFilter(vertx, dns, c, stats)),
                Map.entry("fcrdns", c -> new FcrdnsFilter(dns, c)),
                Map.entry("helo-dns", c -> new HeloDnsFilter(dns, c)),
                Map.entry("spf", c -> new SpfFilter(vertx, dns, c)),
                Map.entry("sender-domain", c -> new SenderDomainFilter(dns, c)),
                Map.entry("spam-trap", c -> new SpamTrapFilter(c, trapHits, trapBlocks)),
                Map.entry("recipients", RecipientsFilter::new),
                Map.entry("greylist", c -> new GreylistFilter(vertx, greylist, c)),
                Map.entry("size", SizeFilter::new),
                Map.entry("attachments", c -> new AttachmentFilter(vertx, c, spoolDisk)),
                Map.entry("content", c -> new ContentFilter(vertx, c)),
                Map.entry("external", c -> new ExternalCheckFilter(vertx, c)));
    }

    public Set<String> names() {
        return makers.keySet();
    }

    /**
     * A new filter of that name for {@code config}.
     *
     * @throws RuntimeException from the filter when the configuration is bad (a CIDR, a regex, an action)
     */
    public Filter create(String name, GatewayConfig config) {
        Function<GatewayConfig, Filter> maker = makers.get(name);
        if (maker == null) {
            throw new IllegalStateException("no filter named '" + name + "'");
        }
        return maker.apply(config);
    }
}
