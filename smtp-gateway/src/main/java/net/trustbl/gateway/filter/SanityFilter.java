package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.protocol.Envelope;
import net.trustbl.gateway.transaction.Transaction;

import java.util.EnumSet;
import java.util.Set;

/**
 * Protocol sanity (the "perfect mail server" checks): a client that talks before the banner
 * (pregreet) or pipelines without being offered PIPELINING is a bot (554); HELO must be an FQDN or
 * an address literal. Envelope syntax itself is enforced strictly by the SMTP parser.
 */
@ApplicationScoped
public class SanityFilter implements Filter {

    private final boolean requireFqdn;

    public SanityFilter(GatewayConfig config) {
        this.requireFqdn = config.sanity().requireFqdnHelo();
    }

    @Override
    public String name() {
        return "sanity";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.CONNECT, Stage.HELO, Stage.MAIL, Stage.RCPT, Stage.END_OF_DATA);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        if (tx.pregreet) {
            return Future.succeededFuture(Verdict.disconnect(554, "5.5.1", "Protocol error: talking before the greeting"));
        }
        if (tx.unauthorizedPipelining && stage != Stage.CONNECT) {
            return Future.succeededFuture(Verdict.disconnect(554, "5.5.0", "Protocol error: commands sent ahead without PIPELINING"));
        }
        if (stage == Stage.HELO && requireFqdn && !Envelope.fqdnOrLiteral(tx.helo)) {
            return Future.succeededFuture(Verdict.reject(550, "5.7.1",
                    "HELO/EHLO must be a fully qualified domain name or an address literal"));
        }
        return Future.succeededFuture(Verdict.CONTINUE);
    }
}
