package net.trustbl.gateway.console;

import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.filter.DnsblFilter;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.stats.GatewayStats;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the SMTP port is bound; lists the DNSBL probe results (a dead list is shown, not fatal). */
@Readiness
@ApplicationScoped
public class GatewayHealth implements HealthCheck {

    private final SmtpServer server;
    private final DnsblFilter dnsbl;
    private final GatewayStats stats;

    public GatewayHealth(SmtpServer server, DnsblFilter dnsbl, GatewayStats stats) {
        this.server = server;
        this.dnsbl = dnsbl;
        this.stats = stats;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("smtp-gateway")
                .status(server.port() > 0)
                .withData("smtpPort", server.port())
                .withData("sessions", stats.sessionsNow());
        (server.chain() == null ? dnsbl.siteStatus() : server.chain().dnsblStatus(dnsbl)).forEach((zone, s) -> b.withData("dnsbl " + zone, s));
        return b.build();
    }
}
