package net.trustbl.engine.simulate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.ArrayList;
import java.util.List;

/**
 * A simulated world, as read from a scenario JSON file. Every field has a default, so a scenario
 * names only what it changes. Unknown fields are an error (a typo must not go unnoticed).
 * The format is documented field by field in docs/simulator.md.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class Scenario {

    public String name = "unnamed";
    public String description = "";
    public long seed = 1;
    /** Simulated days in total, warm-up included. */
    public double days = 21;
    /** Days at the start that build members' trust and are left out of the figures. */
    public double warmupDays = 7;
    public int stepMinutes = 10;
    /** How often the DNS responder reports lookup counts per address. */
    public int trafficEveryMinutes = 60;
    /** DNS lookups of the sending address per message (share of receivers that use the list). */
    public double lookupsPerMessage = 0.3;
    /** "trusted" reports per 1,000 wanted messages, filed by accurate members. */
    public double positiveReportsPerThousandWanted = 0.02;
    public Moderation moderation = new Moderation();
    public List<SenderGroup> senders = new ArrayList<>();
    public List<MemberGroup> members = new ArrayList<>();
    public List<Attack> attacks = new ArrayList<>();

    /** Sender classes; the last three are legitimate (listing them is a false listing). */
    public enum SenderClass {
        spam, snowshoe, botnet, legit, bigProvider, newsletter;

        boolean isSpam() {
            return this == spam || this == snowshoe || this == botnet;
        }
    }

    public enum MemberKind { accurate, careless, inactive, seed }

    /**
     * Attack kinds (JSON names in brackets where they differ): sybil, turncoat, competitor, sleeper,
     * pile-on [pileOn], vouch-shield [vouchShield], volume-inflation [volumeInflation], new-server [newServer].
     */
    public enum AttackKind {
        sybil, turncoat, competitor, sleeper,
        @com.fasterxml.jackson.annotation.JsonProperty("pile-on") pileOn,
        @com.fasterxml.jackson.annotation.JsonProperty("vouch-shield") vouchShield,
        @com.fasterxml.jackson.annotation.JsonProperty("volume-inflation") volumeInflation,
        @com.fasterxml.jackson.annotation.JsonProperty("new-server") newServer,
        /**
         * Farmed accounts look up quiet addresses of their targets' /24 themselves (a lookup makes
         * an address a new sender) and report them, one account each, to have the whole network
         * listed as snowshoe, the targets with their clean records included. Not drawn by the
         * random-world sweep unless asked ({@code --network-attacks}), so that the sweep's seeds draw the
         * worlds they always did.
         */
        neighbourhood;

        /** The name used in scenario files, tables and JSON. */
        public String label() {
            return switch (this) {
                case pileOn -> "pile-on";
                case vouchShield -> "vouch-shield";
                case volumeInflation -> "volume-inflation";
                case newServer -> "new-server";
                default -> name();
            };
        }

        /** Attacks on legitimate senders (their targets must not be listed). */
        public boolean targetsLegitimateSenders() {
            return this != vouchShield && this != volumeInflation;
        }
    }

    /** How farming accounts (sleeper, pile-on) earn trust before they attack. */
    public enum FarmStyle { early, pileOn, mixed }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class Moderation {
        /** A listed legitimate sender asks for removal; a moderator upholds it this long after the listing. */
        public double delistAfterHours = 6;
        /** A held address is reviewed this long after the hold: spam sources are then listed, senders of no spam have the hold turned down. */
        public double reviewHeldAfterHours = 12;
        /**
         * Share of the listed spam sources whose operator asks for delisting too (0..1, chosen by
         * address); the moderator turns the request down {@code delistAfterHours} later.
         */
        public double spamDelistingShare = 0;
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class SenderGroup {
        public String name;
        public SenderClass type = SenderClass.legit;
        /** Senders (for snowshoe: networks, each with addressesPerNetwork addresses). */
        public int count = 0;
        public int addressesPerNetwork = 1;
        /** Mean messages per hour per address while active. */
        public double messagesPerHour = 10;
        /** Share of the messages that are spam (1 for spam classes, e.g. 0.01 for big providers). */
        public double spamShare = 0;
        /** An address lives this long, then a fresh address takes over; 0 = the whole run. */
        public double lifetimeHours = 0;
        /** Sending hours per day (newsletters send in bursts); 24 = always. */
        public double activeHoursPerDay = 24;
        /** Member spam reports per 1,000 spam messages. */
        public double spamReportsPerThousand = 0.5;
        /** Spam-trap hits per 1,000 spam messages. */
        public double trapHitsPerThousand = 0.5;
        /** Day the group starts sending. */
        public double startDay = 0;
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class MemberGroup {
        public String name;
        public MemberKind kind = MemberKind.accurate;
        public int count = 0;
        /** Account age at the start of the run. */
        public double ageDays = 365;
        /** How much of the spam reporting this member does, relative to others (0 = never reports). */
        public double activity = 1;
        /** Careless: spam reports per 1,000 newsletter (wanted bulk) messages, by this group. */
        public double wantedReportsPerThousand = 0;
        /** Careless: mistaken spam reports per 1,000 messages of legitimate small servers, by this group. */
        public double legitReportsPerThousand = 0;
        /**
         * Confirmed spam reports per day of account age that the member filed before the run (its
         * track record, capped at a year): replayed as real reports on past spam sources, each
         * followed by a spam-trap hit, so every engine builds trust through its normal path.
         */
        public double historyReportsPerDay = 0;
        /** Seed: the trust an admin pins at the start. */
        public double pinnedTrust = 0.6;
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class Attack {
        public AttackKind kind = AttackKind.sybil;
        /** Attacking accounts (sybil: fresh; turncoat: long-standing accurate members; competitor: a spammer's accounts). */
        public int accounts = 0;
        /**
         * Legitimate small servers attacked (vouch-shield and volume-inflation: spam sources that
         * start sending after the attack begins, shielded by the attack).
         */
        public int targets = 0;
        public double startDay = 10;
        public double durationDays = 1;
        /** Reports per attacking account per day, each against a random target (vouch-shield: positive reports). */
        public double reportsPerAccountPerDay = 5;
        /**
         * Age of the attacking accounts when the run starts (turncoat, competitor, pile-on,
         * vouch-shield); sleeper, new-server: their age when the attack starts; sybil accounts are created at the attack.
         */
        public double ageDays = 30;
        /**
         * Turncoat, vouch-shield: confirmed reports per day of age before the run (their good record);
         * sleeper, new-server: the farming record of the accounts created before the run, replayed the same way
         * (without it they farm only once the run starts).
         */
        public double historyReportsPerDay = 0;
        /** Sleeper, new-server: the accounts are created over this many days, ending {@code ageDays} before the attack. */
        public double joinSpreadDays = 7;
        /** Sleeper, pile-on, new-server: real spam reports per account per day while farming trust (before the attack). */
        public double farmReportsPerDay = 3;
        /**
         * Sleeper, pile-on, new-server: which spam they report while farming: {@code early} (sources in their first
         * two hours, as seen in public feeds), {@code pileOn} (sources others already reported or
         * trapped: close to listing), {@code mixed} (half each). Pile-on attacks always pile on.
         */
        public FarmStyle farmStyle = FarmStyle.mixed;
        /** Volume-inflation: queries the operator adds per real lookup (N×). */
        public double inflation = 100;
        /** Volume-inflation: client networks (/24) the operator's queries come from. */
        public int networks = 4;
        /**
         * Volume-inflation: days before each source starts sending that its operator starts
         * querying it from its networks (the sweep draws 1; longer is the patient attacker of
         * the README's "what the figures say").
         */
        public double prewarmDays = 1;
        /**
         * New-server: messages per hour each target sends. Its targets are legitimate servers the
         * attack brings: they start sending one after another during the first half of the attack
         * (no lookup history), and the accounts (farmed like sleepers) report each from its start.
         */
        public double targetMessagesPerHour = 10;
    }
}
