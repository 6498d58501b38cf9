package net.trustbl.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed view of the {@code trustbl.*} keys (documented in the README). */
@ConfigMapping(prefix = "trustbl")
public interface TrustBlConfig {

    /** The default of {@code trustbl.data-dir}, also read before Quarkus starts (the embedded database). */
    String DEFAULT_DATA_DIR = "data";

    /** Base folder for local state (embedded PostgreSQL lives in {@code <data-dir>/postgres}). */
    @WithDefault(DEFAULT_DATA_DIR)
    String dataDir();

    /** Public base URL used in links (TXT records, emails, setup link). */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    Registration registration();

    Keys keys();

    /**
     * HTTP Basic calls of the key API ({@code POST /api/v1/keys}; each one costs a bcrypt check):
     * every attempt counts against the client address, failed ones against the email too.
     */
    interface Keys {
        @WithDefault("30")
        double attemptsPerClientPerMinute();

        @WithDefault("20")
        double attemptsPerClientBurst();

        @WithDefault("1")
        double failuresPerEmailPerMinute();

        @WithDefault("10")
        double failuresPerEmailBurst();
    }

    Reports reports();

    Traps traps();

    Engine engine();

    Admin admin();

    Evidence evidence();

    interface Evidence {
        /** Largest raw message accepted (bigger gives 413). */
        @WithDefault("524288")
        int maxMessageSize();

        /** How long raw messages are kept before they are deleted (the extracted facts stay). */
        @WithDefault("30D")
        Duration retention();

        /**
         * Whether evidence samples show the (redacted) subject line. Off by default: a subject can
         * carry personal data redaction does not catch; the subject hash is kept either way.
         */
        @WithDefault("false")
        boolean showSubject();
    }

    Db db();

    Intake intake();

    interface Intake {
        /**
         * Domain of the members' report addresses ({@code <alias>@<domain>}), whose MX is the gateway
         * in intake mode (its {@code gateway.intake.domain}). Unset: {@code reports.<host of public-url>}.
         */
        Optional<String> domain();
    }

    interface Admin {
        /** With the password: the first admin, created at first start (TRUSTBL_ADMIN_EMAIL). */
        Optional<String> email();

        /** TRUSTBL_ADMIN_PASSWORD; never a default. */
        Optional<String> password();
    }

    interface Db {
        /** The default of {@code trustbl.db.embedded-port}, read before Quarkus starts. */
        String DEFAULT_EMBEDDED_PORT = "0";

        /** Port of the embedded PostgreSQL (0 = any free port). */
        @WithDefault(DEFAULT_EMBEDDED_PORT)
        int embeddedPort();
    }

    /**
     * Registration (API and web form) per client and overall. Accounts cost something: a new
     * account's reports weigh nothing until its email is confirmed, and these limits keep one
     * client from making accounts by the hundred.
     */
    interface Registration {
        /** When false, only admins create members. */
        @WithDefault("true")
        boolean open();

        /** Registrations per client and hour: one IPv4 address, or one IPv6 /64. */
        @WithDefault("5")
        double perAddressPerHour();

        /** Registrations per client network and hour: an IPv4 /24, or an IPv6 /48. */
        @WithDefault("20")
        double perNetworkPerHour();

        /**
         * Registrations per hour from everyone together (the last stop against a botnet): the share
         * open to anyone. The reserve below comes on top of it.
         */
        @WithDefault("500")
        double globalPerHour();

        /**
         * Registrations per hour beyond {@code global-per-hour}, drawn only when that open share is
         * used up, and only from client networks (IPv4 /24, IPv6 /48) that have not registered from
         * the open share within the last hour: the networks of a botnet that keeps the open share
         * empty cannot empty the reserve too. 0: no reserve.
         */
        @WithDefault("100")
        double reservedPerHour();

        /**
         * Registrations one client network may draw from the reserve per hour: to empty the reserve
         * a botnet needs this many fewer networks than the reserve holds registrations.
         */
        @WithDefault("1")
        double reservedPerNetworkPerHour();
    }

    interface Reports {
        @WithDefault("1000")
        int maxBatch();

        /** A second report of the same IP by the same member within this window counts once. */
        @WithDefault("24H")
        Duration duplicateWindow();

        /** Sustained reports per second per API key. */
        @WithDefault("200")
        double ratePerSecond();

        /** Burst allowance per API key. */
        @WithDefault("2000")
        double burst();

        /**
         * Reports per account and UTC day, all its keys and channels together (429 until midnight
         * UTC beyond it); the per-key rate above still applies within it.
         */
        @WithDefault("2000")
        int dailyCap();

        /**
         * The daily cap of a new account: email not confirmed, younger than
         * {@code trustbl.engine.min-member-age} or below {@code trustbl.engine.min-reporter-trust}
         * (pinned trust counts whatever the age).
         */
        @WithDefault("200")
        int dailyCapNew();

        /** Raw messages ({@code /reports/raw}, the web form, mailed reports) per account and UTC day. */
        @WithDefault("200")
        int rawPerDay();

        /**
         * Raw messages per UTC day for a new account (as for {@code daily-cap-new}): fewer than 20
         * (issue 12); 10 of the largest accepted message make its byte quota.
         */
        @WithDefault("10")
        int rawPerDayNew();

        /** Bytes of raw messages per account and UTC day. */
        @WithDefault("52428800")
        long rawBytesPerDay();

        /** Bytes of raw messages per UTC day for a new account. */
        @WithDefault("5242880")
        long rawBytesPerDayNew();

        /** Accept reports of 127.0.0.0/8 (except 127.0.0.1): only for demos and drills on one machine. */
        @WithDefault("false")
        boolean allowLoopback();
    }

    interface Rules {
        /**
         * Allow and deny entries of all members' personal rules together. Each member's view is
         * kept in the DNS responder's memory; per member the lists are bounded (1,000 entries each),
         * and this bounds what many accounts can add together.
         */
        @WithDefault("500000")
        int maxTotalEntries();

        /** Rule changes per member and minute (each rebuilds that member's DNS view). */
        @WithDefault("6")
        double changesPerMinute();
    }

    Rules rules();

    interface Traps {
        /** Trap hits are accepted from members with at least this trust (or admins). */
        @WithDefault("0.5")
        double minTrust();

        /**
         * Trap hits a member may send a day (UTC; addresses counted once per request). A member's
         * hits weigh at most its trust per address, so more add nothing; the cap bounds what one
         * member's feed costs the journal and the engine. Trap-feed and admin keys are not counted.
         */
        @WithDefault("20000")
        int dailyCapPerMember();
    }

    interface Engine {
        @WithDefault("1.0")
        double listThreshold();

        @WithDefault("36H")
        Duration listingTtl();

        /** Ranges that are never listed (operator allow list), comma separated CIDRs. */
        Optional<List<String>> allowRanges();

        @WithDefault("60s")
        Duration expiryInterval();

        /** Accounts younger than this cannot list an address on their own. */
        @WithDefault("3D")
        Duration minMemberAge();

        /** Reporters below this trust cannot list an address on their own. */
        @WithDefault("0.1")
        double minReporterTrust();

        /** Recent DNS lookups that raise an address's bar by one threshold (big shared senders). */
        @WithDefault("5000")
        double volumeLookupsPerThreshold();

        /** Listed single addresses in one /24 (/64) that list the whole block; 0 disables it. */
        @WithDefault("4")
        int snowshoeMinListed();

        /**
         * Of those, how many must rest on more than members' word (an operator trap hit, a pinned
         * reporter, or a moderator) before the block is listed (README rule 9): a few farmed
         * accounts reporting quiet addresses of someone else's network never list it. 0 lets any
         * listing count.
         */
        @WithDefault("4")
        int snowshoeMinWitnesses();

        /**
         * Members' reports alone do not list an address no receiver has looked up yet; its first
         * counted lookup judges them (README rule 6). Only while lookups are counted at all (any
         * within a day); set false when the list is served only by mirrors that count nothing.
         */
        @WithDefault("true")
        boolean waitForFirstLookup();

        /**
         * The most reports per lookup spam draws from its recipients (README rule 4): a new sender
         * without trap hits whose two or more reporters are too many for its counted lookups at this
         * rate goes to a moderator instead of being listed. Deployments that count only part of
         * their lookups raise it; 0 turns the rule off.
         */
        @WithDefault("0.1")
        double plausibleReportsPerLookup();

        /**
         * Members outside any coalition whose reports list an address that is no longer a new
         * sender, without a trap hit or a pinned reporter (README rule 4); with fewer, a moderator
         * decides. 1 lets one member's word list a known sender.
         */
        @WithDefault("2")
        int minReportersToList();

        /**
         * A new sender that accounts of a marked coalition reported is listed on their word,
         * without waiting for a moderator, once receivers look it up more often than this rate
         * (counted lookups an hour since its first), as a test shows: as many would come at this
         * rate with less than 1 % chance, and a member outside any marked coalition (or a pinned
         * one) reports it too. Bulk mail, not a small new server (README rule 4).
         * 0 sends all such reports to a moderator.
         */
        @WithDefault("15")
        double bulkSenderLookupsPerHour();

        /**
         * A listing resting on members' word whose delisting a sender asked for (and confirmed by
         * mail) holds the accounts created near its reporters for a moderator's answer, at most this
         * long: what they report on new senders goes to the moderation queue instead of listing
         * (README rule 4). 0 turns it off.
         */
        @WithDefault("24H")
        Duration contestHold();

        /**
         * Requests hold anyone only while they come for at most this share of the listings made
         * (both counted over about a week): where spammers ask for the delisting of much of what is
         * listed, a request says nothing.
         */
        @WithDefault("0.05")
        double contestMaxShare();

        /**
         * Addresses the engine holds state for, at most: above it, at each hour of event time, it
         * forgets those only a few lookups named, new senders included (anyone can look up random
         * addresses). 0: no limit.
         */
        @WithDefault("2000000")
        int maxTrackedAddresses();

        /**
         * For this long after a moderator upheld a delisting request on an address, or turned down
         * the engine's hold on it, new evidence that would list it (reports, trap hits, pinned
         * members' reports) holds it for a moderator instead: a sender a moderator found no spam on
         * is not listed behind the moderator's back (README rule 10). 0 turns it off.
         */
        @WithDefault("30D")
        Duration moderatorClearedHold();
    }
}
