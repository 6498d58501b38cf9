package net.trustbl.member;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.ClientPrefix;
import net.trustbl.common.ProblemException;
import net.trustbl.common.RateLimiter;
import net.trustbl.common.TrustBlConfig;

import java.util.function.LongSupplier;

/**
 * Registrations (REST and web form) per client (IPv4 address, IPv6 /64), per client network
 * (IPv4 /24, IPv6 /48) and overall, each per hour ({@code trustbl.registration.*}). Every attempt
 * counts, whatever its outcome; a refused one counts nowhere, so a flood from one network does not
 * use up the global allowance of everyone else.
 *
 * The overall allowance has two shares, so that a botnet cannot starve everyone by spending one
 * number. The open share ({@code global-per-hour}) is anyone's. The reserve ({@code reserved-per-hour})
 * is drawn from only when the open share is empty, only by networks that have not registered from
 * the open share within the last hour, and by each network at most {@code reserved-per-network-per-hour}
 * times an hour. A botnet that keeps the open share empty does so from its own networks, which are then
 * shut out of the reserve; to empty the reserve as well it needs one more network per reserved
 * registration (with the defaults 25 /24s at 20 an hour for the open share, then 100 more, instead of
 * 25 in all). A botnet with that many networks can still empty both: any overall number can be.
 */
@ApplicationScoped
public class RegistrationThrottle {

    private static final Object GLOBAL = "all";

    @Inject
    TrustBlConfig config;

    /** Refills the buckets (nanoseconds); tests set their own before {@link #init}. */
    LongSupplier clock = System::nanoTime;

    private RateLimiter perClient;
    private RateLimiter perNetwork;
    private RateLimiter global;
    /** Null when {@code reserved-per-hour} is 0. */
    private RateLimiter reserve;
    private RateLimiter reservePerNetwork;
    /** One token a network, taken by each registration from the open share: empty for an hour after the last. */
    private RateLimiter openShareUsers;

    @PostConstruct
    void init() {
        TrustBlConfig.Registration r = config.registration();
        perClient = hourly(r.perAddressPerHour());
        perNetwork = hourly(r.perNetworkPerHour());
        global = hourly(r.globalPerHour());
        reserve = r.reservedPerHour() > 0 && r.reservedPerNetworkPerHour() > 0 ? hourly(r.reservedPerHour()) : null;
        reservePerNetwork = reserve == null ? null : hourly(r.reservedPerNetworkPerHour());
        openShareUsers = hourly(1);
    }

    private RateLimiter hourly(double perHour) {
        return new RateLimiter(perHour / 3600.0, perHour, clock);
    }

    /** Counts one registration attempt from {@code clientAddress}, or throws 429 with Retry-After. */
    public synchronized void charge(String clientAddress) { // ask and charge as one step: no overshoot under a flood
        String client = ClientPrefix.client(clientAddress);
        String network = ClientPrefix.network(clientAddress);
        long wait = Math.max(perClient.waitSeconds(client), perNetwork.waitSeconds(network));
        RateLimiter share = null;
        if (wait == 0) {
            wait = global.waitSeconds(GLOBAL);
            if (wait == 0) {
                share = global;
            } else if (reserve != null && openShareUsers.waitSeconds(network) == 0
                    && reservePerNetwork.waitSeconds(network) == 0) {
                long reserveWait = reserve.waitSeconds(GLOBAL);
                if (reserveWait == 0) {
                    share = reserve;
                } else {
                    wait = Math.min(wait, reserveWait);
                }
            }
        }
        if (share == null) {
            throw new ProblemException(429, "Too many registrations", "too many registrations from your network "
                    + "or in all right now; retry after " + wait + " s", null, "registration-rate", null, wait);
        }
        perClient.charge(client);
        perNetwork.charge(network);
        share.charge(GLOBAL);
        (share == global ? openShareUsers : reservePerNetwork).charge(network);
    }
}
