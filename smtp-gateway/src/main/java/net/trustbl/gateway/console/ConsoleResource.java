package net.trustbl.gateway.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.gateway.filter.DnsblFilter;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.stats.GatewayStats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operator console (Fluffy's live view): a self-contained HTML page (no external script) that
 * polls {@code /console/stats} every few seconds and draws verdicts per filter per minute.
 */
@Path("/console")
public class ConsoleResource {

    private final GatewayStats stats;
    private final DnsblFilter dnsbl;
    private final SmtpServer server;

    public ConsoleResource(GatewayStats stats, DnsblFilter dnsbl, SmtpServer server) {
        this.stats = stats;
        this.dnsbl = dnsbl;
        this.server = server;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/console.html")) {
            String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Response.ok(html)
                    .header("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'")
                    .header("X-Content-Type-Options", "nosniff")
                    .build();
        }
    }

    public record Stats(Instant now, int smtpPort, int sessions, long delivered, Map<String, String> dnsbl,
                        Map<String, Long> totals, Map<String, long[]> verdictsPerMinute,
                        List<GatewayStats.Rejection> recentRejections) {
    }

    /** Refusals of the recent past whose session id, client, sender or recipient contains {@code q}. */
    @GET
    @Path("/sessions")
    @Produces(MediaType.APPLICATION_JSON)
    public List<GatewayStats.Rejection> sessions(@jakarta.ws.rs.QueryParam("q") String q) {
        if (q != null && q.length() > 200) {
            throw new jakarta.ws.rs.BadRequestException("q is at most 200 characters");
        }
        return stats.findRejections(q);
    }

    @GET
    @Path("/stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Stats stats() {
        Map<String, String> dnsblStatus = server.chain() == null ? dnsbl.siteStatus() : server.chain().dnsblStatus(dnsbl);
        return new Stats(Instant.now(), server.port(), stats.sessionsNow(), stats.delivered(),
                new LinkedHashMap<>(dnsblStatus), stats.totals(), stats.verdictsPerMinute(), stats.recentRejections());
    }
}
