package net.trustbl.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.TrustBlConfig;

import java.net.URI;

/** A member's full report address, {@code <alias>@<trustbl.intake.domain>}, as the pages show it. */
@ApplicationScoped
public class ReportAddress {

    @Inject
    TrustBlConfig config;

    public String of(String alias) {
        return alias + "@" + domain();
    }

    public String domain() {
        return config.intake().domain().orElseGet(() -> "reports." + URI.create(config.publicUrl()).getHost());
    }
}
