package net.trustbl.member;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.ClientPrefix;
import net.trustbl.common.ProblemException;
import net.trustbl.common.RateLimiter;
import net.trustbl.common.TrustBlConfig;

/**
 * Registrations (REST and web form) per client (IPv4 address, IPv6 /64), per client network
 * (IPv4 /24, IPv6 /48) and overall, each per hour ({@code trustbl.registration.*}). Every attempt
 * counts, whatever its outcome; a refused one counts nowhere, so a flood from one network does not
 * use up the global allowance of everyone else.
 */
@ApplicationScoped
public class RegistrationThrottle {

    private static final Object GLOBAL = "all";

    @Inject
    TrustBlConfig config;

    private RateLimiter perClient;
    private RateLimiter perNetwork;
    private RateLimiter global;

    @PostConstruct
    void init() {
        TrustBlConfig.Registration r = config.registration();
        perClient = hourly(r.perAddressPerHour());
        perNetwork = hourly(r.perNetworkPerHour());
        global = hourly(r.globalPerHour());
    }

    private static RateLimiter hourly(double perHour) {
        return new RateLimiter(perHour / 3600.0, perHour);
    }

    /** Counts one registration attempt from {@code clientAddress}, or throws 429 with Retry-After. */
    public synchronized void charge(String clientAddress) { // ask and charge as one step: no overshoot under a flood
        String client = ClientPrefix.client(clientAddress);
        String network = ClientPrefix.network(clientAddress);
        long wait = Math.max(perClient.waitSeconds(client), perNetwork.waitSeconds(network));
        if (wait == 0) {
            wait = global.waitSeconds(GLOBAL);
        }
        if (wait > 0) {
            throw new ProblemException(429, "Too many registrations", "too many registrations from your network "
                    + "or in all right now; retry after " + wait + " s", null, "registration-rate", null, wait);
        }
        perClient.charge(client);
        perNetwork.charge(network);
        global.charge(GLOBAL);
    }
}
