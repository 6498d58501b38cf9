package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.transaction.Transaction;
import org.apache.james.jspf.executor.SPFResult;
import org.apache.james.jspf.impl.DNSServiceXBillImpl;
import org.apache.james.jspf.impl.SPF;
import org.xbill.DNS.SimpleResolver;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * SPF (RFC 7208) at MAIL FROM with Apache jSPF, asking the gateway's resolver. jSPF resolves
 * synchronously, so each evaluation runs on a worker thread with a deadline and the event loop
 * never waits. Accepted mail gets Received-SPF and Authentication-Results; only "fail" is
 * refused (per the action), "temperror" is deferred only when the action refuses; softfail,
 * neutral, none and permerror are recorded, never refused (the design warns of forwarders).
 * At most {@link #MAX_RUNNING} evaluations run at once; beyond them SPF is not checked and the
 * result is recorded as neutral.
 */
@ApplicationScoped
public class SpfFilter extends ClientCheck {

    /**
     * SPF evaluations running at once. jSPF cannot be interrupted: one given up at the timeout
     * still holds its worker thread until its own DNS questions time out, so slow DNS could
     * otherwise take the whole worker pool that greylisting and attachment scans share.
     */
    static final int MAX_RUNNING = 8;

    private final Vertx vertx;
    private final Semaphore running = new Semaphore(MAX_RUNNING);
    private final String hostname;
    private final Duration timeout;
    private final SPF spf;

    public SpfFilter(Vertx vertx, DnsLookup dns, GatewayConfig config) {
        super("gateway.client-checks.spf", config.clientChecks().spf());
        this.vertx = vertx;
        this.hostname = config.hostname();
        this.timeout = config.clientChecks().spfTimeout();
        SimpleResolver resolver = new SimpleResolver(dns.server());
        resolver.setTimeout(Duration.ofSeconds(3));
        this.spf = new SPF(new DNSServiceXBillImpl(resolver));
    }

    @Override
    public String name() {
        return "spf";
    }

    @Override
    protected Future<Verdict> checkClient(Transaction tx) {
        String from = tx.mailFrom == null ? "" : tx.mailFrom;
        String helo = tx.helo == null || tx.helo.isBlank() ? tx.clientAddress : tx.helo.trim();
        if (!running.tryAcquire()) {
            // not checked: neutral (RFC 7208 2.6.2, no statement either way), so the mail is neither held nor refused for it
            return Future.succeededFuture(verdict(tx, "neutral", null, "not checked, too many SPF checks running", from, helo));
        }
        Future<SPFResult> evaluation = vertx.executeBlocking(() -> spf.checkSPF(tx.clientAddress, from, helo), false);
        evaluation.onComplete(done -> running.release()); // when jSPF returns, not when we stop waiting for it
        return evaluation.timeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .map(r -> verdict(tx, r.getResult(), ClientCheckVerdicts.clean(r.getHeader(), 400),
                        ClientCheckVerdicts.clean(r.getExplanation(), 200), from, helo))
                .recover(e -> Future.succeededFuture(verdict(tx, "temperror", null,
                        e instanceof TimeoutException ? "no answer within " + timeout.toSeconds() + " s" : String.valueOf(e.getMessage()),
                        from, helo)));
    }

    private Verdict verdict(Transaction tx, String result, String receivedSpf, String explanation, String from, String helo) {
        String identity = from.isEmpty() ? "smtp.helo=" + helo : "smtp.mailfrom=" + domainOf(from);
        String header = (receivedSpf == null ? "Received-SPF: " + result + " (" + hostname + ": " + explanation + ") client-ip="
                + tx.clientAddress + ";" : receivedSpf) + "\r\nAuthentication-Results: " + hostname + "; spf=" + result + " " + identity;
        String who = from.isEmpty() ? helo : domainOf(from);
        if ("temperror".equals(result)) {
            if (action == CheckAction.DEFER || action == CheckAction.REJECT) {
                return Verdict.tempfail(451, "4.4.3", "SPF check of " + who + " could not be completed, try again later");
            }
            return ClientCheckVerdicts.decide("spf", action, tx, false, header, null, null);
        }
        String why = "SPF: " + who + " does not allow " + tx.clientAddress + " to send its mail"
                + (explanation == null || explanation.isBlank() ? "" : " (" + explanation + ")");
        return ClientCheckVerdicts.decide("spf", action, tx, "fail".equals(result), header,
                Verdict.tempfail(451, "4.7.24", why), Verdict.reject(550, "5.7.23", why));
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(at + 1).toLowerCase();
    }
}
