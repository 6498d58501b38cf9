package net.trustbl.ui;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code trustbl.web.*} keys: sessions and the limits of the public forms (the lookup page's
 * reverse-DNS line has its own, {@link net.trustbl.common.ReverseDnsConfig}).
 */
@ConfigMapping(prefix = "trustbl.web")
public interface WebConfig {

    /** How long a login lasts without logging in again. */
    @WithDefault("7D")
    Duration sessionLifetime();

    Login login();

    Delisting delisting();

    /** Who runs this TrustBL: shown on every page, the policy and privacy pages. */
    Operator operator();

    interface Operator {
        /** Shown in the footer and on the policy pages. */
        @WithDefault("the operators of this TrustBL")
        String name();

        /** An email address or URL for questions and complaints; shown on every page when set. */
        Optional<String> contact();

        /** A UTF-8 text file with the listing policy (paragraphs separated by blank lines); a shipped text otherwise. */
        Optional<Path> policyFile();

        /** A UTF-8 text file with the privacy notice; a shipped text otherwise. */
        Optional<Path> privacyFile();
    }

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

        /**
         * Requests per client network (IPv4 /24, IPv6 /48) and hour: one host with a /48 holds
         * 65,536 IPv6 /64 clients, and each request mails a link to an address of the requester's choosing.
         */
        @WithDefault("30")
        double perNetworkPerHour();

        /** Requests per hour from everyone together: bounds the confirmation mail TrustBL sends. */
        @WithDefault("600")
        double totalPerHour();

        /**
         * Confirmed requests per hour for all the addresses of one IPv4 /24 or IPv6 /64 together:
         * every address inside a listed block counts as listed, so per address alone a listed /64
         * would let anyone fill the moderators' queue.
         */
        @WithDefault("10")
        double perNetworkConfirmedPerHour();

        /**
         * Requests per hour for the addresses of one listed IPv4 /24 or IPv6 /64 together, taken only
         * when {@code total-per-hour} is used up: requests for other listings (from throw-away
         * mailboxes, never confirmed) can empty the total, but not keep a wrongly listed server from
         * filing its own request. 0: no reserve.
         */
        @WithDefault("3")
        double reservedPerListedNetworkPerHour();
    }
}
