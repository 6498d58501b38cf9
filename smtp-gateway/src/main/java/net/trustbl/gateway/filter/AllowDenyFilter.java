package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.transaction.Transaction;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** Per recipient policy: clients let through, clients and sender domains refused. */
    private final Map<String, PolicyLists> policies = new HashMap<>();

    /** A recipient policy's own lists (gateway.recipients.policies.NAME.allow-ips, deny-ips, deny-sender-domains). */
    record PolicyLists(List<Patterns.Cidr> allowIps, List<Patterns.Cidr> denyIps, List<String> denyDomains) { }

    public AllowDenyFilter(GatewayConfig config) {
        allowIps = config.allow().ips().orElse(List.of()).stream().map(Patterns.Cidr::parse).toList();
        denyIps = config.deny().ips().orElse(List.of()).stream().map(Patterns.Cidr::parse).toList();
        allowHelos = config.allow().helos().orElse(List.of());
        denyHelos = config.deny().helos().orElse(List.of());
        allowDomains = config.allow().senderDomains().orElse(List.of());
        denyDomains = config.deny().senderDomains().orElse(List.of());
        config.recipients().policies().forEach((name, p) -> policies.put(name, new PolicyLists(
                p.allowIps().orElse(List.of()).stream().map(Patterns.Cidr::parse).toList(),
                p.denyIps().orElse(List.of()).stream().map(Patterns.Cidr::parse).toList(),
                p.denySenderDomains().orElse(List.of()))));
    }

    private boolean somePolicyAllows(Transaction tx) {
        return policies.values().stream().anyMatch(p -> p.allowIps().stream().anyMatch(c -> c.contains(tx.clientIp)));
    }

    /**
     * A site's VIP can receive from a network the rest of the site refuses, and a recipient can
     * refuse what the site accepts: the recipient's policy is known at RCPT, so both are decided there.
     */
    private Verdict atRcpt(Transaction tx) {
        PolicyLists p = policies.get(tx.rcptPolicy == null ? "default" : tx.rcptPolicy);
        tx.allowListedForRecipient = p != null && p.allowIps().stream().anyMatch(c -> c.contains(tx.clientIp));
        if (tx.deniedIpUnlessPolicy && !tx.allowListedForRecipient) {
            return Verdict.reject(550, "5.7.1", "Your address " + tx.clientAddress + " is not allowed to send mail to " + tx.rcpt);
        }
        if (p == null || tx.allowListedForRecipient || tx.allowListedIp) {
            return Verdict.CONTINUE;
        }
        if (p.denyIps().stream().anyMatch(c -> c.contains(tx.clientIp))) {
            return Verdict.reject(550, "5.7.1", "Your address " + tx.clientAddress + " is not allowed to send mail to " + tx.rcpt);
        }
        String domain = tx.senderDomain();
        if (!domain.isEmpty() && p.denyDomains().stream().anyMatch(d -> Patterns.domainMatches(d, domain))) {
            return Verdict.reject(550, "5.7.1", "Sender domain " + domain + " is not allowed to send mail to " + tx.rcpt);
        }
        return Verdict.CONTINUE;
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
                    if (!somePolicyAllows(tx)) {
                        return Verdict.disconnect(554, "5.7.1", "Your address " + tx.clientAddress + " is not allowed to send mail here");
                    }
                    tx.deniedIpUnlessPolicy = true; // refused at RCPT except for the recipients whose policy allows it
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
            case RCPT -> {
                return atRcpt(tx);
            }
            default -> {
            }
        }
        // never ACCEPT: that would end the stage and skip every filter after this one
        return Verdict.CONTINUE;
    }
}
