package net.trustbl.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.RateLimiter;

import java.util.Locale;

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

    /** Seconds until this client and this email may file another request (0: now). */
    long requestWaitSeconds(String clientIp, String email) {
        return Math.max(perClient().waitSeconds(clientIp), perEmail().waitSeconds(email.toLowerCase(Locale.ROOT)));
    }

    void chargeRequest(String clientIp, String email) {
        perClient().charge(clientIp);
        perEmail().charge(email.toLowerCase(Locale.ROOT));
    }

    /** Seconds until another confirmed request for this address may reach the moderators. */
    long confirmWaitSeconds(String ip) {
        return perAddress().waitSeconds(ip);
    }

    void chargeConfirmation(String ip) {
        perAddress().charge(ip);
    }

    /** Members' disputes, per member (same hourly budget as confirmations per address). */
    boolean tryDispute(long memberId) {
        return perAddress().tryAcquire("dispute:" + memberId);
    }

    private RateLimiter perAddress() {
        if (perAddress == null) {
            perAddress = hourly(config.delisting().perAddressPerHour());
        }
        return perAddress;
    }

    private RateLimiter perEmail() {
        if (perEmail == null) {
            perEmail = hourly(config.delisting().perEmailPerHour());
        }
        return perEmail;
    }

    private RateLimiter perClient() {
        if (perClient == null) {
            perClient = hourly(config.delisting().perClientPerHour());
        }
        return perClient;
    }

    private static RateLimiter hourly(double perHour) {
        return new RateLimiter(perHour / 3600.0, perHour);
    }
}
