package net.trustbl.gateway.smtp;

import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.protocol.Reply;

/**
 * Postfix's error limits for one session (smtpd_soft_error_limit, smtpd_hard_error_limit,
 * smtpd_error_sleep_time): every 4xx/5xx reply to a command is an error (a refused or unknown
 * recipient, a refused command, a syntax error). From the soft limit on, every reply waits; at the
 * hard limit the session is closed. Valid recipients cost nothing, and the 452 that asks for the
 * recipients beyond the limit to come back later counts only past the overshoot limit
 * (smtpd_recipient_overshoot_limit). A mail transaction that ends (RSET, HELO/EHLO, STARTTLS)
 * without an accepted recipient is an error too, although each of its replies was a 250: every
 * MAIL costs the MAIL-stage filters' DNS questions, and MAIL, RSET, MAIL… must not ask them without
 * end. A delivered message forgives the errors made before it.
 */
final class ErrorLimits {

    private final GatewayConfig.Tarpit conf;
    private final int overshootLimit;
    /** Errors since the session began or the last delivered message. */
    private int errors;
    /** 452 replies of this session (recipients beyond the limit, other policy). */
    private int comeBackLater;

    ErrorLimits(GatewayConfig.Tarpit conf, int overshootLimit) {
        this.conf = conf;
        this.overshootLimit = overshootLimit;
    }

    /** Counts a reply; true when the hard limit is now reached and the session must end. */
    boolean count(Reply reply) {
        if (reply.code() >= 400 && (reply.code() != 452 || ++comeBackLater > overshootLimit)) {
            errors++;
        }
        return conf.hardErrorLimit() > 0 && errors >= conf.hardErrorLimit();
    }

    /** A mail transaction ended without an accepted recipient: an error, judged at the next reply. */
    void emptyTransaction() {
        errors++;
    }

    /** Milliseconds the next reply waits: 0 below the soft limit, then error-sleep-time (growing by the multiplier). */
    long delayMillis() {
        int soft = conf.softErrorLimit();
        if (soft <= 0 || errors < soft) {
            return 0;
        }
        double d = conf.errorSleepTime().toMillis() * Math.pow(conf.multiplier(), errors - soft);
        return (long) Math.min(d, conf.maxDelay().toMillis());
    }

    /** A message was delivered: as in Postfix, the delays are for clients that make errors without delivering mail. */
    void delivered() {
        errors = 0;
        comeBackLater = 0;
    }

    int errors() {
        return errors;
    }
}
