package net.trustbl.responder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.traffic.TrafficSettings;
import org.eclipse.microprofile.config.Config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The DNS responder's settings as this service reads them, in one place for everyone who needs
 * them (the responder host, the pages that name the zone): the {@code trustbl.dns.*} keys from
 * Quarkus config through the responder's own reader, so each default is the responder's
 * ({@link DnsConfig}, {@link TrafficSettings}); the service adds only that the TXT links point
 * at its public URL unless {@code trustbl.dns.public-host} says otherwise.
 */
@ApplicationScoped
public class DnsSettings {

    static final String ZONE = "trustbl.dns.zone";

    @Inject
    Config config;

    @Inject
    TrustBlConfig trustbl;

    @Inject
    DnsHostConfig host;

    private volatile DnsConfig dnsConfig;
    private volatile String primaryZone;

    /** {@code trustbl.dns.enabled}: whether this service runs the responder. */
    public boolean enabled() {
        return host.enabled();
    }

    /** {@code trustbl.dns.serial-file}, by default {@code dns-serial} in the data folder. */
    public Path serialFile() {
        return host.serialFile().map(Path::of).orElse(Path.of(trustbl.dataDir(), "dns-serial"));
    }

    /** The responder's settings, read once. @throws IllegalArgumentException naming a value the responder refuses */
    public DnsConfig dnsConfig() {
        DnsConfig d = dnsConfig;
        if (d == null) {
            d = DnsConfig.fromLookup(this::setting);
            dnsConfig = d;
        }
        return d;
    }

    /** How lookups are counted ({@code trustbl.dns.traffic.*}). */
    public TrafficSettings traffic() {
        return TrafficSettings.fromLookup(this::setting);
    }

    /**
     * The primary DNSBL zone, as the responder serves it: the first of {@code trustbl.dns.zone}
     * (which may list aliases), lower case without a trailing dot.
     */
    public String primaryZone() {
        String z = primaryZone;
        if (z == null) {
            try {
                z = dnsConfig().primaryZone();
            } catch (IllegalArgumentException e) {
                if (enabled()) {
                    throw e; // the responder did not start either
                }
                // responder off: a trustbl.dns.* value meant for a standalone responder, that this
                // one would refuse, must not break the pages; only the zone is read then
                z = DnsConfig.builder().zone(setting(ZONE)).build().primaryZone();
            }
            primaryZone = z;
        }
        return z;
    }

    /** trustbl.dns.* from Quarkus config; the TXT link defaults to this service's public URL. */
    private String setting(String key) {
        Optional<String> v = config.getOptionalValue(key, String.class);
        if (v.isPresent()) {
            return v.get();
        }
        if (key.equals("trustbl.dns.txt-template") && config.getOptionalValue("trustbl.dns.public-host", String.class).isEmpty()) {
            return DnsConfig.listedTemplate(trustbl.publicUrl());
        }
        if (key.equals("trustbl.dns.allow-txt-template") && config.getOptionalValue("trustbl.dns.public-host", String.class).isEmpty()) {
            return DnsConfig.trustedTemplate(trustbl.publicUrl());
        }
        return null;
    }
}
