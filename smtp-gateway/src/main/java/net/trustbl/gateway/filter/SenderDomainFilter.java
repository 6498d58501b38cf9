package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsAnswer;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.transaction.Transaction;

import java.util.EnumSet;
import java.util.Set;

/**
 * The MAIL FROM domain must have an MX or an A record (Obtuse SMTPD); a transient DNS failure
 * passes, so a resolver hiccup never refuses good mail. The null sender and address literals pass,
 * and so do clients allow-listed by IP (a trusted relay); HELO/sender-domain allow entries are
 * spoofable and do not skip this check.
 */
@ApplicationScoped
public class SenderDomainFilter implements Filter {

    private final DnsLookup dns;
    private final boolean enabled;

    public SenderDomainFilter(DnsLookup dns, GatewayConfig config) {
        this.dns = dns;
        this.enabled = config.senderDomain().enabled();
    }

    @Override
    public String name() {
        return "sender-domain";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.MAIL);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        String domain = tx.senderDomain();
        if (!enabled || domain.isEmpty() || domain.startsWith("[") || tx.allowListedIp) {
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        return dns.mx(domain).compose(mx -> {
            if (mx.found() || mx.failed()) {
                return Future.succeededFuture(Verdict.CONTINUE);
            }
            return dns.a(domain).map(a -> verdict(mx, a, domain));
        });
    }

    private static Verdict verdict(DnsAnswer mx, DnsAnswer a, String domain) {
        if (a.found() || a.failed()) {
            return Verdict.CONTINUE;
        }
        return Verdict.reject(550, "5.1.8", "Sender address rejected: domain " + domain + " has no MX or A record");
    }
}
