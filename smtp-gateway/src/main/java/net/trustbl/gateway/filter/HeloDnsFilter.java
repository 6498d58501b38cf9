package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.transaction.Transaction;
import org.xbill.DNS.Type;

/**
 * The HELO name must be a fully qualified host name with an A, AAAA or MX record (Postfix's
 * reject_unknown_helo_hostname). Address literals are left to the sanity filter; a DNS failure
 * never refuses; IP-allow-listed clients are not checked. Checked at MAIL FROM.
 */
@ApplicationScoped
public class HeloDnsFilter extends ClientCheck {

    private final DnsLookup dns;

    public HeloDnsFilter(DnsLookup dns, GatewayConfig config) {
        super("gateway.client-checks.helo-dns", config.clientChecks().heloDns());
        this.dns = dns;
    }

    @Override
    public String name() {
        return "helo-dns";
    }

    @Override
    protected Future<Verdict> checkClient(Transaction tx) {
        String helo = tx.helo == null ? "" : tx.helo.trim().toLowerCase();
        if (helo.startsWith("[")) {
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        if (helo.isEmpty() || helo.indexOf('.') <= 0 || helo.endsWith(".") && helo.indexOf('.') == helo.length() - 1) {
            return Future.succeededFuture(result(tx, helo, "fail", "is not a fully qualified host name"));
        }
        return dns.a(helo).compose(a -> a.found() ? Future.succeededFuture(a) : dns.ask(helo, Type.AAAA)
                .map(aaaa -> aaaa.found() ? aaaa : (a.failed() ? a : aaaa)))
                .compose(addr -> {
                    if (addr.found()) {
                        return Future.succeededFuture(result(tx, helo, "pass", null));
                    }
                    return dns.mx(helo).map(mx -> mx.found() ? result(tx, helo, "pass", null)
                            : mx.failed() || addr.failed() ? result(tx, helo, "temperror", null)
                            : result(tx, helo, "fail", "has no A, AAAA or MX record"));
                });
    }

    private Verdict result(Transaction tx, String helo, String result, String why) {
        String header = "X-TrustBL-HELO: " + result + " helo=" + helo;
        String text = "Helo command rejected: " + (helo.isEmpty() ? "empty name" : helo) + " " + (why == null ? "" : why);
        return ClientCheckVerdicts.decide("helo-dns", action, tx, "fail".equals(result), header,
                Verdict.tempfail(450, "4.7.1", text.trim()), Verdict.reject(550, "5.7.1", text.trim()));
    }
}
