package net.trustbl.member;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.ClientPrefix;
import net.trustbl.common.ProblemException;
import net.trustbl.common.RateLimiter;
import net.trustbl.common.TrustBlConfig;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Guards the password checks of the key API: each costs a bcrypt round (CPU), and a free run of
 * them is a password-guessing oracle. Every attempt is charged to the client (IPv4 address, IPv6
 * /64); failed attempts are charged to the email as well. Both are checked before any bcrypt work, so a
 * throttled caller gets 429 with Retry-After at no cost to the server.
 */
@ApplicationScoped
public class BasicAuthThrottle {

    @Inject
    TrustBlConfig config;

    private RateLimiter perClient;
    private RateLimiter perEmail;

    @PostConstruct
    void init() {
        TrustBlConfig.Keys k = config.keys();
        perClient = new RateLimiter(k.attemptsPerClientPerMinute() / 60.0, k.attemptsPerClientBurst());
        perEmail = new RateLimiter(k.failuresPerEmailPerMinute() / 60.0, k.failuresPerEmailBurst());
    }

    /** Runs {@code check} (a password check) unless the client or the email is throttled. */
    public <T> T guard(String clientAddress, String email, Supplier<T> check) {
        Object clientKey = "client:" + ClientPrefix.client(clientAddress);
        Object emailKey = email == null ? null : "email:" + email.trim().toLowerCase(Locale.ROOT);
        long wait = Math.max(perClient.waitSeconds(clientKey), emailKey == null ? 0 : perEmail.waitSeconds(emailKey));
        if (wait > 0) {
            throw ProblemException.rateLimited(wait);
        }
        perClient.charge(clientKey);
        try {
            return check.get();
        } catch (ProblemException e) {
            if (e.status() == 401 && emailKey != null) {
                perEmail.charge(emailKey);
            }
            throw e;
        }
    }
}
