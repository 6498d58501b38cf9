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
 * /64); failed attempts are charged to the email as well (a token taken before the check and given back
 * unless it failed). Both are taken before any bcrypt work, so a
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
        // asked and charged in one step each, so parallel attempts cannot all pass the check first
        long wait = perClient.take(clientKey);
        if (wait > 0) {
            throw ProblemException.rateLimited(wait);
        }
        wait = emailKey == null ? 0 : perEmail.take(emailKey);
        if (wait > 0) {
            perClient.refund(clientKey); // refused for the email's sake before any work
            throw ProblemException.rateLimited(wait);
        }
        boolean failed = false;
        try {
            return check.get();
        } catch (ProblemException e) {
            failed = e.status() == 401;
            throw e;
        } finally {
            if (emailKey != null && !failed) {
                perEmail.refund(emailKey); // only failures count against the email
            }
        }
    }
}
