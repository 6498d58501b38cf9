package net.trustbl.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.address.IpBlock;
import net.trustbl.common.ClientPrefix;
import net.trustbl.common.Mailboxes;
import net.trustbl.common.RateLimiter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The limits every request from a listed sender shares (delisting and exclusion from a block
 * listing alike): requests per client network and per requester email, confirmations per address.
 * One set of buckets, so that switching between the two forms buys nobody more requests.
 */
@ApplicationScoped
public class DelistingLimits {

    @Inject
    WebConfig config;

    private volatile RateLimiter perAddress;
    private volatile RateLimiter perClient;
    private volatile RateLimiter perEmail;
    private volatile RateLimiter perNetwork;
    private volatile RateLimiter total;
    private volatile RateLimiter perNetworkConfirmed;

    /**
     * Takes one request from the budgets of this client, its network, this mailbox and everyone,
     * or from none: 0, or the seconds until all allow one. Asked and charged in one step, so
     * parallel requests cannot all pass the check before any is charged (each request mails a
     * confirmation link to an address of the requester's choosing).
     */
    long takeRequest(String clientAddress, String email) {
        List<Map.Entry<RateLimiter, String>> taken = new ArrayList<>(4);
        for (Map.Entry<RateLimiter, String> budget : List.of(
                Map.entry(perClient(), ClientPrefix.client(clientAddress)),
                Map.entry(perNetwork(), ClientPrefix.network(clientAddress)),
                Map.entry(perEmail(), Mailboxes.canonical(email)),
                Map.entry(total(), "all"))) {
            long wait = budget.getKey().take(budget.getValue());
            if (wait > 0) {
                taken.forEach(t -> t.getKey().refund(t.getValue())); // refused: it costs no budget
                return wait;
            }
            taken.add(budget);
        }
        return 0;
    }

    /**
     * Takes one confirmed request for this address from its budget and from its /24 (IPv6 /64):
     * 0, or the seconds to wait.
     */
    long takeConfirmation(String ip) {
        long wait = perAddress().take(ip);
        if (wait > 0) {
            return wait;
        }
        wait = perNetworkConfirmed().take(confirmationNetwork(ip));
        if (wait > 0) {
            perAddress().refund(ip);
        }
        return wait;
    }

    /** Gives back a confirmation taken for a link that turned out not to confirm anything. */
    void refundConfirmation(String ip) {
        perAddress().refund(ip);
        perNetworkConfirmed().refund(confirmationNetwork(ip));
    }

    private static String confirmationNetwork(String ip) {
        try {
            IpBlock a = IpBlock.parse(ip);
            return a.widen(a.isV6() ? 64 : 24).toString();
        } catch (IllegalArgumentException e) {
            return ip;
        }
    }

    /** Members' disputes, per member (same hourly budget as confirmations per address). */
    boolean tryDispute(long memberId) {
        return perAddress().tryAcquire("dispute:" + memberId);
    }

    private synchronized RateLimiter perAddress() { // one instance, even when first asked in parallel
        if (perAddress == null) {
            perAddress = hourly(config.delisting().perAddressPerHour());
        }
        return perAddress;
    }

    private synchronized RateLimiter perEmail() {
        if (perEmail == null) {
            perEmail = hourly(config.delisting().perEmailPerHour());
        }
        return perEmail;
    }

    private synchronized RateLimiter perNetwork() {
        if (perNetwork == null) {
            perNetwork = hourly(config.delisting().perNetworkPerHour());
        }
        return perNetwork;
    }

    private synchronized RateLimiter total() {
        if (total == null) {
            total = hourly(config.delisting().totalPerHour());
        }
        return total;
    }

    private synchronized RateLimiter perNetworkConfirmed() {
        if (perNetworkConfirmed == null) {
            perNetworkConfirmed = hourly(config.delisting().perNetworkConfirmedPerHour());
        }
        return perNetworkConfirmed;
    }

    private synchronized RateLimiter perClient() {
        if (perClient == null) {
            perClient = hourly(config.delisting().perClientPerHour());
        }
        return perClient;
    }

    private static RateLimiter hourly(double perHour) {
        return new RateLimiter(perHour / 3600.0, perHour);
    }
}
