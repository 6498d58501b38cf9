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
import java.util.function.LongSupplier;

/**
 * The limits every request from a listed sender shares (delisting and exclusion from a block
 * listing alike): requests per client, client network, requester email and in all (with a reserve
 * per listed network, see {@link #takeRequest}), confirmations per address.
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
    private volatile RateLimiter reserve;
    private boolean noReserve;

    /** Refills the buckets (nanoseconds); tests set their own before the first request. */
    LongSupplier clock = System::nanoTime;

    /**
     * Takes one request for the listed address {@code listed} from the budgets of this client, its
     * network, this mailbox and everyone (or, that one empty, the reserve of the listed network), or
     * from none: 0, or the seconds until all allow one. Asked and charged in one step, so parallel
     * requests cannot all pass the check before any is charged (each request mails a confirmation
     * link to an address of the requester's choosing).
     *
     * Everyone's budget is charged when a request is filed, not when it is confirmed, because it is
     * what bounds the mail TrustBL sends: charged at confirmation, the requests a botnet files for
     * throw-away mailboxes (never confirmed) would have no overall bound, only per client, network and
     * mailbox. So that such a flood cannot keep the owner of a listing from filing (the total used up
     * by requests for other addresses), each listed network (IPv4 /24, IPv6 /64) has a small reserve
     * of its own, drawn only when the total is empty. The callers ask only for listed addresses, so
     * reserves exist only for listed networks: the mail stays bounded (total + reserve × listed
     * networks), and so does memory. A flood aimed at the one listing still spends its reserve.
     */
    long takeRequest(String clientAddress, String email, String listed) {
        List<Map.Entry<RateLimiter, String>> taken = new ArrayList<>(3);
        for (Map.Entry<RateLimiter, String> budget : List.of(
                Map.entry(perClient(), ClientPrefix.client(clientAddress)),
                Map.entry(perNetwork(), ClientPrefix.network(clientAddress)),
                Map.entry(perEmail(), Mailboxes.canonical(email)))) {
            long wait = budget.getKey().take(budget.getValue());
            if (wait > 0) {
                refund(taken);
                return wait;
            }
            taken.add(budget);
        }
        long wait = takeShared(listed);
        if (wait > 0) {
            refund(taken); // refused: it costs no budget
        }
        return wait;
    }

    private static void refund(List<Map.Entry<RateLimiter, String>> taken) {
        taken.forEach(t -> t.getKey().refund(t.getValue()));
    }

    /** A token of everyone's budget or, that one empty, of the listed network's reserve: 0, or the seconds until either has one. */
    private long takeShared(String listed) {
        long wait = total().take("all");
        RateLimiter reserve = reserve();
        if (wait == 0 || reserve == null) {
            return wait;
        }
        long reserveWait = reserve.take(listedNetwork(listed));
        return reserveWait == 0 ? 0 : Math.min(wait, reserveWait);
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
        wait = perNetworkConfirmed().take(listedNetwork(ip));
        if (wait > 0) {
            perAddress().refund(ip);
        }
        return wait;
    }

    /** Gives back a confirmation taken for a link that turned out not to confirm anything. */
    void refundConfirmation(String ip) {
        perAddress().refund(ip);
        perNetworkConfirmed().refund(listedNetwork(ip));
    }

    /** The listed address's IPv4 /24 or IPv6 /64: every address inside a listed block counts as listed. */
    private static String listedNetwork(String ip) {
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

    /** Null when {@code reserved-per-listed-network-per-hour} is 0. */
    private synchronized RateLimiter reserve() {
        if (reserve == null && !noReserve) {
            double perHour = config.delisting().reservedPerListedNetworkPerHour();
            noReserve = perHour <= 0;
            reserve = noReserve ? null : hourly(perHour);
        }
        return reserve;
    }

    private synchronized RateLimiter perClient() {
        if (perClient == null) {
            perClient = hourly(config.delisting().perClientPerHour());
        }
        return perClient;
    }

    private RateLimiter hourly(double perHour) {
        return new RateLimiter(perHour / 3600.0, perHour, clock);
    }
}
