package net.trustbl.gateway.dns;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The verified (forward-confirmed) reverse name of a client, as Postfix writes it in Received
 * lines and passes it in XFORWARD/XCLIENT: the PTR name counts only when that name resolves back
 * to the client's address; otherwise the client is "unknown". Never fails: a DNS problem is "unknown".
 */
@ApplicationScoped
public class ClientNames {

    private final DnsLookup dns;

    public ClientNames(DnsLookup dns) {
        this.dns = dns;
    }

    /** The verified name, or null when there is none. */
    public Future<String> verifiedName(InetAddress client) {
        return dns.ask(ReverseMap.fromAddress(client).toString(), Type.PTR).compose(ptr -> {
            if (!ptr.found()) {
                return Future.<String>succeededFuture(null);
            }
            String name = stripDot(ptr.records().get(0));
            int type = client instanceof Inet6Address ? Type.AAAA : Type.A;
            return dns.ask(name, type).map(forward -> forward.found()
                    && forward.records().stream().anyMatch(a -> sameAddress(a, client)) ? name : null);
        }).otherwiseEmpty();
    }

    private static String stripDot(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static boolean sameAddress(String literal, InetAddress client) {
        try {
            return InetAddress.getByName(literal).equals(client);
        } catch (Exception e) {
            return false; // a record that is no address literal confirms nothing
        }
    }
}
