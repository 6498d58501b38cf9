package net.trustbl.ui;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The {@code trustbl.web.*} keys: sessions and the limits of the public forms. */
@ConfigMapping(prefix = "trustbl.web")
public interface WebConfig {

    /** How long a login lasts without logging in again. */
    @WithDefault("7D")
    Duration sessionLifetime();

    Login login();

    Delisting delisting();

    interface Login {
        /** Attempts per account per minute (sustained); failures per client address may be 3× that. */
        @WithDefault("6")
        double attemptsPerMinute();

        /** Attempts allowed in a row before the rate applies. */
        @WithDefault("10")
        double burst();
    }

    interface Delisting {
        /**
         * Confirmed requests per listed address and hour. Counted when the requester confirms by
         * mail, so that anyone can ask but nobody can use up the owner's quota with unconfirmed ones.
         */
        @WithDefault("3")
        double perAddressPerHour();

        /** Requests per requester email address and hour (confirmed or not). */
        @WithDefault("3")
        double perEmailPerHour();

        @WithDefault("10")
        double perClientPerHour();
    }
}
