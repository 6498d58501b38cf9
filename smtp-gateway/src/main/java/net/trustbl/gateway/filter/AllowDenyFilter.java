package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Operator allow and deny lists of client IPs/CIDRs, HELO names and sender domains. Deny wins
 * over allow. An allow-listed client skips the rest of the stage, and greylisting and the DNSBL
 * in every stage (important servers are never delayed).
 */
@ApplicationScoped
public class AllowDenyFilter implements Filter {

    private final List<Patterns.Cidr> allowIps;
    private final List<Patterns.Cidr> denyIps;
    private final List<String> allowHelos;
    private final List<String> denyHelos;
    private final List<String> allowDomains;
    private final List<String> denyDomains;

    public AllowDenyFilter(GatewayConfig config) {
        allowIps = config.allow().ips().orElse(List.of()).stream().map(Patterns.Cidr::parse).toList();
        denyIps = config.deny().ips().orElse(List.of()).stream().map(Patterns.Cidr::parse).toList();
        allowHelos = config.allow().helos().orElse(List.of());
        denyHelos = config.deny().helos().orElse(List.of());
        allowDomains = config.allow().senderDomains().orElse(List.of());
        denyDomains = config.deny().senderDomains().orElse(List.of());
    }

    @Override
    public String name() {
        return "allow-deny";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.CONNECT, Stage.HELO, Stage.MAIL, Stage.RCPT, Stage.END_OF_DATA);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        return Future.succeededFuture(decide(stage, tx));
    }

    Verdict decide(Stage stage, Transaction tx) {
        switch (stage) {
            case CONNECT -> {
                if (denyIps.stream().anyMatch(c -> c.contains(tx.clientIp))) {
                    return Verdict.disconnect(554, "5.7.1", "Your address " + tx.clientAddress + " is not allowed to send mail here");
                }
                if (allowIps.stream().anyMatch(c -> c.contains(tx.clientIp))) {
                    tx.allowListed = true;
                }
            }
            case HELO -> {
                if (denyHelos.stream().anyMatch(p -> Patterns.domainMatches(p, tx.helo))) {
                    return Verdict.reject(550, "5.7.1", "HELO name " + tx.helo + " is not allowed");
                }
                if (allowHelos.stream().anyMatch(p -> Patterns.domainMatches(p, tx.helo))) {
                    tx.allowListed = true;
                }
            }
            case MAIL -> {
                String domain = tx.senderDomain();
                if (!domain.isEmpty() && denyDomains.stream().anyMatch(p -> Patterns.domainMatches(p, domain))) {
                    return Verdict.reject(550, "5.7.1", "Sender domain " + domain + " is not allowed");
                }
                if (!domain.isEmpty() && allowDomains.stream().anyMatch(p -> Patterns.domainMatches(p, domain))) {
                    tx.allowListed = true;
                }
            }
            default -> {
            }
        }
        return tx.allowListed ? Verdict.ACCEPT : Verdict.CONTINUE;
    }
}
