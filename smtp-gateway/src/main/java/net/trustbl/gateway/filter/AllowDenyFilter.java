package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Operator allow and deny lists of client IPs/CIDRs, HELO names and sender domains. Deny wins
 * over allow. An allow list match only sets a flag on the transaction and the chain goes on:
 * allow-listed clients skip greylisting and the DNSBL (important servers are never delayed), and
 * are still subject to every other filter (sanity, traps, limits, attachments, content, checker).
 * The IP flag lasts the session; the HELO flag until the next HELO/EHLO; the sender-domain flag
 * (the sender chooses MAIL FROM freely) only the current transaction.
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
                tx.allowListedIp = allowIps.stream().anyMatch(c -> c.contains(tx.clientIp));
            }
            case HELO -> {
                tx.allowListedHelo = false;
                if (denyHelos.stream().anyMatch(p -> Patterns.domainMatches(p, tx.helo))) {
                    return Verdict.reject(550, "5.7.1", "HELO name " + tx.helo + " is not allowed");
                }
                tx.allowListedHelo = allowHelos.stream().anyMatch(p -> Patterns.domainMatches(p, tx.helo));
            }
            case MAIL -> {
                String domain = tx.senderDomain();
                if (!domain.isEmpty() && denyDomains.stream().anyMatch(p -> Patterns.domainMatches(p, domain))) {
                    return Verdict.reject(550, "5.7.1", "Sender domain " + domain + " is not allowed");
                }
                tx.allowListedSender = !domain.isEmpty() && allowDomains.stream().anyMatch(p -> Patterns.domainMatches(p, domain));
            }
            default -> {
            }
        }
        // never ACCEPT: that would end the stage and skip every filter after this one
        return Verdict.CONTINUE;
    }
}
