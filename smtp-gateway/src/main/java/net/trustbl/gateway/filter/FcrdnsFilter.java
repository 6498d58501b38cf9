package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsAnswer;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.transaction.Transaction;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Forward-confirmed reverse DNS (RFC 8601 "iprev"): the client's PTR name must resolve back to the
 * client's address, as Postfix's reject_unknown_client_hostname asks. Checked at MAIL FROM, so a
 * refused sender reads the reason in a bounce, not in a greeting its MTA skips. A DNS failure is
 * "temperror" and never refuses; IP-allow-listed clients (trusted relays) are not checked.
 */
@ApplicationScoped
public class FcrdnsFilter extends ClientCheck {

    /** PTR names tried: a client with many names gets the benefit of the first few. */
    static final int MAX_NAMES = 3;

    private final DnsLookup dns;
    private final String hostname;

    public FcrdnsFilter(DnsLookup dns, GatewayConfig config) {
        super("gateway.client-checks.fcrdns", config.clientChecks().fcrdns());
        this.dns = dns;
        this.hostname = config.hostname();
    }

    @Override
    public String name() {
        return "fcrdns";
    }

    @Override
    protected Future<Verdict> checkClient(Transaction tx) {
        return dns.ask(ReverseMap.fromAddress(tx.clientIp).toString(), Type.PTR)
                .compose(ptr -> {
                    if (ptr.failed()) {
                        return Future.succeededFuture(result(tx, "temperror", null));
                    }
                    if (!ptr.found()) {
                        return Future.succeededFuture(result(tx, "fail", null));
                    }
                    List<String> names = ptr.records().stream().limit(MAX_NAMES).toList();
                    return confirm(tx, names, 0, false);
                });
    }

    /** Tries the PTR names in turn; "temperror" when no name confirmed and one of them could not be resolved. */
    private Future<Verdict> confirm(Transaction tx, List<String> names, int i, boolean sawFailure) {
        if (i >= names.size()) {
            return Future.succeededFuture(result(tx, sawFailure ? "temperror" : "fail", names.get(0)));
        }
        String name = names.get(i);
        int type = tx.clientIp instanceof Inet6Address ? Type.AAAA : Type.A;
        return dns.ask(name, type).compose(answer -> {
            if (resolvesTo(answer, tx.clientIp)) {
                return Future.succeededFuture(result(tx, "pass", name));
            }
            return confirm(tx, names, i + 1, sawFailure || answer.failed());
        });
    }

    static boolean resolvesTo(DnsAnswer answer, InetAddress client) {
        for (String a : answer.records()) {
            try {
                if (InetAddress.getByName(a).equals(client)) { // a literal: parsed, never looked up
                    return true;
                }
            } catch (UnknownHostException e) {
                // not an address record: ignore it
            }
        }
        return false;
    }

    private Verdict result(Transaction tx, String result, String name) {
        String header = "Authentication-Results: " + hostname + "; iprev=" + result + " policy.iprev=" + tx.clientAddress
                + (name == null ? "" : " (" + stripDot(name) + ")");
        String why = name == null ? "no reverse DNS (PTR) for " + tx.clientAddress
                : "reverse DNS name " + stripDot(name) + " does not resolve back to " + tx.clientAddress;
        return ClientCheckVerdicts.decide("fcrdns", action, tx, "fail".equals(result), header,
                Verdict.tempfail(450, "4.7.25", "Client host rejected: " + why),
                Verdict.reject(550, "5.7.25", "Client host rejected: " + why));
    }

    static String stripDot(String name) {
        String n = ClientCheckVerdicts.clean(name, 255);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
