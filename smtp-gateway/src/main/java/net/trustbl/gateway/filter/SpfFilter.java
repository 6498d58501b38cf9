package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.dns.DnsLookup;
import net.trustbl.gateway.protocol.ClientKeys;
import net.trustbl.gateway.transaction.Transaction;
import org.apache.james.jspf.executor.SPFResult;
import org.apache.james.jspf.impl.DNSServiceXBillImpl;
import org.apache.james.jspf.impl.SPF;
import org.xbill.DNS.SimpleResolver;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * SPF (RFC 7208) at MAIL FROM with Apache jSPF, asking the gateway's resolver. jSPF resolves
 * synchronously, so each evaluation runs on a worker thread with a deadline and the event loop
 * never waits. Accepted mail gets Received-SPF and Authentication-Results; only "fail" is
 * refused (per the action), "temperror" is deferred only when the action refuses; softfail,
 * neutral, none and permerror are recorded, never refused (the design warns of forwarders).
 * At most {@link #MAX_RUNNING} evaluations run at once, and at most {@link #MAX_RUNNING_PER_CLIENT}
 * of them for one client (an IPv4 address or an IPv6 /64, {@link ClientKeys#connectionKey}). Beyond
 * them SPF is not checked and the result is {@code temperror}: deferred (451 4.4.3) when the action
 * refuses, so a sender whose SPF fails cannot slip through while someone keeps the slots busy with
 * slow SPF records; the real sender retries. It used to be recorded as neutral, which let mail pass.
 */
@ApplicationScoped
public class SpfFilter extends ClientCheck {

    /**
     * SPF evaluations running at once. jSPF cannot be interrupted: one given up at the timeout
     * still holds its worker thread until its own DNS questions time out, so slow DNS could
     * otherwise take the whole worker pool that greylisting and attachment scans share.
     */
    static final int MAX_RUNNING = 8;
    /** Of those, how many one client (its {@link ClientKeys#connectionKey}) may hold: no one client takes them all. */
    static final int MAX_RUNNING_PER_CLIENT = 2;

    private final Vertx vertx;
    private final Semaphore running = new Semaphore(MAX_RUNNING);
    /** Running evaluations per client key; a key is removed when its last evaluation ends. */
    private final ConcurrentHashMap<String, Integer> runningPerClient = new ConcurrentHashMap<>();
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
        String client = ClientKeys.connectionKey(tx.clientIp);
        if (!claim(client)) {
            // not checked, and not a pass either: temperror, deferred when the action refuses
            return Future.succeededFuture(verdict(tx, "temperror", null,
                    "not checked, too many SPF checks running for this client", from, helo));
        }
        if (!running.tryAcquire()) {
            unclaim(client);
            return Future.succeededFuture(verdict(tx, "temperror", null, "not checked, too many SPF checks running", from, helo));
        }
        Evaluation evaluation = new Evaluation();
        Future<SPFResult> result = vertx.executeBlocking(() -> evaluation.run(() -> spf.checkSPF(tx.clientAddress, from, helo)), false);
        result.onComplete(done -> {
            // when the worker is free again, not when we stop waiting for it (see Evaluation)
            running.release();
            unclaim(client);
        });
        return result.timeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .map(r -> verdict(tx, r.getResult(), ClientCheckVerdicts.clean(r.getHeader(), 400),
                        ClientCheckVerdicts.clean(r.getExplanation(), 200), from, helo))
                .recover(e -> {
                    if (e instanceof TimeoutException) {
                        evaluation.giveUp();
                    }
                    return Future.succeededFuture(verdict(tx, "temperror", null,
                            e instanceof TimeoutException ? "no answer within " + timeout.toSeconds() + " s" : String.valueOf(e.getMessage()),
                            from, helo));
                });
    }

    private boolean claim(String client) {
        boolean[] claimed = {false};
        runningPerClient.compute(client, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= MAX_RUNNING_PER_CLIENT) {
                return n;
            }
            claimed[0] = true;
            return now + 1;
        });
        return claimed[0];
    }

    private void unclaim(String client) {
        runningPerClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Evaluations running for this client key now (tests). */
    int runningFor(String clientKey) {
        return runningPerClient.getOrDefault(clientKey, 0);
    }

    /**
     * One evaluation on its worker thread, which is interrupted when the deadline passes so that the
     * slot comes free then. jSPF has no cancel of its own and resolves synchronously; dnsjava's
     * {@code Resolver.send} waits for each answer in an interruptible {@code Future.get} and keeps
     * the thread's interrupt flag set, so the question being waited for and every later one fail at
     * once and jSPF returns (temperror). The slot is still released only when jSPF has returned: were
     * it released at the deadline while the thread still waited, slow DNS could take the whole worker
     * pool that greylisting and attachment scans share. An evaluation given up before a worker
     * picked it up is not started at all. The interrupt is sent only while this evaluation runs on
     * the thread and cleared when it ends, so it never reaches the next task of that pooled thread.
     */
    static final class Evaluation {

        private Thread thread;
        private boolean givenUp;

        <T> T run(java.util.concurrent.Callable<T> work) throws Exception {
            synchronized (this) {
                if (givenUp) {
                    throw new TimeoutException("given up before it started");
                }
                thread = Thread.currentThread();
            }
            try {
                return work.call();
            } finally {
                synchronized (this) {
                    thread = null;
                }
                Thread.interrupted(); // a late interrupt of this evaluation must not outlive it
            }
        }

        synchronized void giveUp() {
            givenUp = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
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
