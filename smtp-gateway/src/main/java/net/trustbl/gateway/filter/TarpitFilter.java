package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;

import java.util.EnumSet;
import java.util.Set;

/**
 * Tarpit (Obtuse SMTPD): after N recipients of a transaction every RCPT reply is held back by
 * delay × multiplier^(k) for the k-th recipient beyond N, capped. The session waits on a Vert.x
 * timer, so a thousand tarpitted clients cost a thousand timers, not threads.
 */
@ApplicationScoped
public class TarpitFilter implements Filter {

    private final GatewayConfig.Tarpit conf;

    public TarpitFilter(GatewayConfig config) {
        this.conf = config.tarpit();
    }

    @Override
    public String name() {
        return "tarpit";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.RCPT);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        int beyond = tx.rcptCommands - conf.after();
        if (conf.after() <= 0 || beyond <= 0 || tx.allowListedIp) {
            // a relay allow-listed by address is never delayed; HELO/sender allow entries are spoofable
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        double d = conf.delay().toMillis() * Math.pow(conf.multiplier(), beyond - 1);
        tx.replyDelayMillis = (long) Math.min(d, conf.maxDelay().toMillis());
        return Future.succeededFuture(Verdict.CONTINUE);
    }
}
