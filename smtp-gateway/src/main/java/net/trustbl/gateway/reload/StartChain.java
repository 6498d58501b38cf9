package net.trustbl.gateway.reload;

import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.filter.Filter;
import net.trustbl.gateway.smtp.SmtpServer;
import net.trustbl.gateway.stats.GatewayStats;

import java.util.HashMap;
import java.util.Map;

/**
 * The chain the gateway starts with: the CDI filters put together by {@link ChainAssembly}, as a
 * reload puts fresh ones together, and installed in the SMTP server before it listens (priority
 * 90, the server starts at 100). The server only runs the chain it is given.
 */
@ApplicationScoped
public class StartChain {

    private final SmtpServer server;
    private final GatewayConfig config;
    private final GatewayStats stats;
    private final Instance<Filter> filters;

    public StartChain(SmtpServer server, GatewayConfig config, GatewayStats stats, @Any Instance<Filter> filters) {
        this.server = server;
        this.config = config;
        this.stats = stats;
        this.filters = filters;
    }

    void onStart(@Observes @Priority(90) StartupEvent ev) {
        Map<String, Filter> byName = new HashMap<>();
        for (Filter f : filters) {
            byName.put(f.name(), ClientProxy.unwrap(f));
        }
        server.install(ChainAssembly.assemble(config, byName::get, byName.keySet(), ClientProxy.unwrap(stats)));
    }
}
