package net.trustbl.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code trustbl.web.reverse-dns.*} keys: the lookup page's reverse-DNS line (asked by
 * {@code lookup.AddressFactsService}). A mapping of its own, not part of {@code ui.WebConfig}, so
 * that the listing package reads it without depending on the web pages.
 */
@ConfigMapping(prefix = "trustbl.web.reverse-dns")
public interface ReverseDnsConfig {

    @WithDefault("true")
    boolean enabled();

    /** host:port of the resolver to ask; the system's resolvers (resolv.conf) when not set. */
    Optional<String> resolver();

    @WithDefault("2S")
    Duration timeout();

    /** Uncached lookups per second for all visitors together; above it the line is left out. */
    @WithDefault("20")
    double queriesPerSecond();
}
