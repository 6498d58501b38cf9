package net.trustbl.engine.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws random worlds for the sweep from documented ranges (docs/simulator.md, "Random-world
 * sweep"): sizes and kinds of members, the careless share, the sender mix and volumes, trap and
 * report rates, lookups per message, and one to three attacks of any kind. Engine settings are
 * chosen on these worlds, not on the bundled scenarios, so that they hold on worlds nobody wrote.
 */
final class WorldSampler {

    /** Attack accounts are drawn from just past the engine's minimum age of the day the ranges were set (7 days). */
    static final double YOUNGEST_ATTACK_DAYS = 8;
    /** Oldest farming (sleeper, new-server) accounts, and oldest competitor and pile-on accounts. */
    static final double OLDEST_FARMER_DAYS = 40;
    static final double OLDEST_ACCOUNT_DAYS = 120;

    /**
     * The kinds a world's attacks are drawn from, in the order the sweep always drew them (a new
     * kind appended here would change every seed's worlds): the neighbourhood attack comes on top
     * only when asked ({@link #networkAttacks}).
     */
    private static final Scenario.AttackKind[] SWEPT_KINDS = {
            Scenario.AttackKind.sybil, Scenario.AttackKind.turncoat, Scenario.AttackKind.competitor, Scenario.AttackKind.sleeper,
            Scenario.AttackKind.pileOn, Scenario.AttackKind.vouchShield, Scenario.AttackKind.volumeInflation, Scenario.AttackKind.newServer};

    private final SplittableRandom rnd;

    WorldSampler(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    Scenario next(String name) {
        Scenario s = new Scenario();
        s.name = name;
        s.seed = rnd.nextLong(1, Long.MAX_VALUE);
        s.days = between(14, 24);
        s.warmupDays = 7;
        s.lookupsPerMessage = logBetween(0.03, 0.6);
        s.positiveReportsPerThousandWanted = between(0, 0.1);
        s.moderation.delistAfterHours = between(2, 12);
        s.moderation.reviewHeldAfterHours = between(4, 24);
        senders(s);
        members(s);
        int attacks = 1 + rnd.nextInt(3);
        for (int i = 0; i < attacks; i++) {
            s.attacks.add(attack(s));
        }
        return ScenarioLoader.validate(s);
    }

    private void senders(Scenario s) {
        double reportRate = logBetween(0.2, 3);
        double trapRate = logBetween(0.05, 1.5);
        Scenario.SenderGroup spam = group("spam sources", Scenario.SenderClass.spam, 20 + rnd.nextInt(131));
        spam.messagesPerHour = logBetween(30, 400);
        spam.spamShare = 1;
        spam.lifetimeHours = between(24, 168);
        spam.spamReportsPerThousand = reportRate * between(0.7, 1.3);
        spam.trapHitsPerThousand = trapRate * between(0.7, 1.3);
        s.senders.add(spam);
        Scenario.SenderGroup botnet = group("botnet", Scenario.SenderClass.botnet, rnd.nextInt(301));
        botnet.messagesPerHour = between(10, 60);
        botnet.spamShare = 1;
        botnet.lifetimeHours = between(4, 24);
        botnet.spamReportsPerThousand = reportRate * between(0.7, 1.3);
        botnet.trapHitsPerThousand = trapRate * between(0.7, 1.3);
        s.senders.add(botnet);
        Scenario.SenderGroup snowshoe = group("snowshoe", Scenario.SenderClass.snowshoe, rnd.nextInt(6));
        snowshoe.addressesPerNetwork = 10 + rnd.nextInt(31);
        snowshoe.messagesPerHour = between(5, 20);
        snowshoe.spamShare = 1;
        snowshoe.spamReportsPerThousand = reportRate;
        snowshoe.trapHitsPerThousand = trapRate;
        s.senders.add(snowshoe);
        Scenario.SenderGroup small = group("small servers", Scenario.SenderClass.legit, 50 + rnd.nextInt(351));
        small.messagesPerHour = logBetween(2, 30);
        s.senders.add(small);
        // legitimate servers that appear during the run (no lookup history yet)
        Scenario.SenderGroup fresh = group("new servers", Scenario.SenderClass.legit, rnd.nextInt(51));
        fresh.messagesPerHour = logBetween(2, 30);
        fresh.startDay = between(1, s.days - 3);
        s.senders.add(fresh);
        Scenario.SenderGroup big = group("big providers", Scenario.SenderClass.bigProvider, rnd.nextInt(11));
        big.messagesPerHour = logBetween(5_000, 40_000);
        big.spamShare = logBetween(0.001, 0.03);
        big.spamReportsPerThousand = logBetween(0.2, 5);
        big.trapHitsPerThousand = logBetween(0.1, 5);
        s.senders.add(big);
        Scenario.SenderGroup news = group("newsletters", Scenario.SenderClass.newsletter, rnd.nextInt(41));
        news.messagesPerHour = logBetween(500, 5_000);
        news.activeHoursPerDay = between(1, 4);
        s.senders.add(news);
    }

    private void members(Scenario s) {
        int total = 20 + rnd.nextInt(481);
        double carelessShare = between(0, 0.7);
        int careless = (int) Math.round(total * carelessShare);
        Scenario.MemberGroup accurate = member("accurate", Scenario.MemberKind.accurate, total - careless);
        accurate.ageDays = between(30, 730);
        accurate.historyReportsPerDay = between(0, 0.5);
        s.members.add(accurate);
        Scenario.MemberGroup sloppy = member("careless", Scenario.MemberKind.careless, careless);
        sloppy.ageDays = between(30, 730);
        sloppy.historyReportsPerDay = between(0, 0.5);
        sloppy.wantedReportsPerThousand = logBetween(0.01, 0.3);
        sloppy.legitReportsPerThousand = between(0, 0.05);
        s.members.add(sloppy);
        s.members.add(member("inactive", Scenario.MemberKind.inactive, rnd.nextInt(301)));
        Scenario.MemberGroup seeds = member("founders", Scenario.MemberKind.seed, rnd.nextInt(9));
        seeds.pinnedTrust = between(0.4, 0.8);
        seeds.ageDays = 400;
        s.members.add(seeds);
    }

    private Scenario.Attack attack(Scenario s) {
        Scenario.AttackKind[] kinds = SWEPT_KINDS;
        Scenario.Attack a = new Scenario.Attack();
        a.kind = kinds[rnd.nextInt(kinds.length)];
        a.startDay = between(s.warmupDays + 1, s.days - 3);
        a.durationDays = between(1, Math.min(10, s.days - a.startDay));
        a.targets = 5 + rnd.nextInt(36);
        a.reportsPerAccountPerDay = between(1, 10);
        switch (a.kind) {
            case sybil -> a.accounts = 50 + rnd.nextInt(1951);
            case turncoat -> {
                a.accounts = 3 + rnd.nextInt(28);
                a.ageDays = between(60, 730);
                a.historyReportsPerDay = between(0.05, 0.5);
            }
            case competitor -> {
                a.accounts = 2 + rnd.nextInt(19);
                a.ageDays = between(YOUNGEST_ATTACK_DAYS, OLDEST_ACCOUNT_DAYS);
            }
            case sleeper, newServer -> {
                a.accounts = 20 + rnd.nextInt(281);
                a.ageDays = between(YOUNGEST_ATTACK_DAYS, OLDEST_FARMER_DAYS);
                a.joinSpreadDays = between(0, 14);
                a.farmReportsPerDay = between(0.5, 5);
                a.farmStyle = Scenario.FarmStyle.values()[rnd.nextInt(3)];
                if (a.kind == Scenario.AttackKind.newServer) {
                    a.targetMessagesPerHour = logBetween(2, 30);
                }
            }
            case pileOn -> {
                a.accounts = 10 + rnd.nextInt(191);
                a.ageDays = between(YOUNGEST_ATTACK_DAYS, OLDEST_ACCOUNT_DAYS);
                a.farmReportsPerDay = between(0.5, 5);
                a.farmStyle = Scenario.FarmStyle.pileOn;
            }
            case vouchShield -> {
                a.accounts = 3 + rnd.nextInt(48);
                a.ageDays = between(30, 365);
                a.historyReportsPerDay = between(0, 0.3);
            }
            case volumeInflation -> {
                a.accounts = 1;
                a.inflation = logBetween(10, 10_000);
                a.networks = 1 + rnd.nextInt(50);
            }
        }
        return a;
    }

    private Scenario.SenderGroup group(String name, Scenario.SenderClass type, int count) {
        Scenario.SenderGroup g = new Scenario.SenderGroup();
        g.name = name;
        g.type = type;
        g.count = count;
        return g;
    }

    private Scenario.MemberGroup member(String name, Scenario.MemberKind kind, int count) {
        Scenario.MemberGroup g = new Scenario.MemberGroup();
        g.name = name;
        g.kind = kind;
        g.count = count;
        return g;
    }

    private double between(double lo, double hi) {
        return round(lo + rnd.nextDouble() * (hi - lo));
    }

    private double logBetween(double lo, double hi) {
        return round(Math.exp(Math.log(lo) + rnd.nextDouble() * (Math.log(hi) - Math.log(lo))));
    }

    /** Three significant digits: the written scenario files stay readable. */
    private static double round(double v) {
        if (v == 0) {
            return 0;
        }
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    static List<Scenario> draw(long seed, int n) {
        WorldSampler sampler = new WorldSampler(seed);
        List<Scenario> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sampler.next("world-" + seed + "-" + (i + 1)));
        }
        return out;
    }

    /**
     * Sets how long every volume-inflation operator of these worlds queries each source before
     * it sends (drawn as 1 day). Longer makes a fresh source look like a sender receivers have
     * known for days: its first report no longer lists it alone (README, "what the figures say").
     */
    static void prewarm(List<Scenario> worlds, double days) {
        for (Scenario w : worlds) {
            for (Scenario.Attack a : w.attacks) {
                if (a.kind == Scenario.AttackKind.volumeInflation) {
                    a.prewarmDays = days;
                }
            }
        }
    }

    /** Youngest sleeper and new-server accounts under {@code --patient-farmers}: two months, long-standing (rule 4). */
    static final double PATIENT_FARMER_DAYS = 60;

    /**
     * The same worlds with patient farmers: sleeper and new-server accounts, drawn
     * [{@link #YOUNGEST_ATTACK_DAYS}, {@link #OLDEST_FARMER_DAYS}] days old at the attack, are mapped
     * linearly onto [{@link #PATIENT_FARMER_DAYS}, oldestDays], and the farming they did before the run
     * (at their drawn rate) is replayed as their record. Set after drawing, so the seed still draws the
     * worlds it always drew.
     */
    static void patientFarmers(List<Scenario> worlds, double oldestDays) {
        for (Scenario w : worlds) {
            for (Scenario.Attack a : w.attacks) {
                if (a.kind == Scenario.AttackKind.sleeper || a.kind == Scenario.AttackKind.newServer) {
                    a.ageDays = PATIENT_FARMER_DAYS
                            + (a.ageDays - YOUNGEST_ATTACK_DAYS) * (oldestDays - PATIENT_FARMER_DAYS) / (OLDEST_FARMER_DAYS - YOUNGEST_ATTACK_DAYS);
                    a.historyReportsPerDay = a.farmReportsPerDay;
                }
            }
        }
    }

    /**
     * {@code --network-attacks}: every world gets a neighbourhood attack on top of its own, drawn
     * from the world's seed apart from its other draws (so the rest of the world is the one the
     * seed always drew): 4 to 60 farmed accounts 8 to 40 days old, created over up to two weeks and
     * farming like sleepers, go for the /24s of 1 to 10 legitimate servers with a sending history.
     */
    static void networkAttacks(List<Scenario> worlds) {
        for (Scenario s : worlds) {
            SplittableRandom r = new SplittableRandom(s.seed ^ 0x6e65696768626f72L);
            Scenario.Attack a = new Scenario.Attack();
            a.kind = Scenario.AttackKind.neighbourhood;
            a.startDay = s.warmupDays + 1 + r.nextDouble() * Math.max(0, s.days - 3 - s.warmupDays - 1);
            a.durationDays = 1 + r.nextDouble() * Math.max(0, Math.min(10, s.days - a.startDay) - 1);
            a.targets = 1 + r.nextInt(10);
            a.accounts = 4 + r.nextInt(57);
            a.reportsPerAccountPerDay = 1 + r.nextDouble() * 9;
            a.ageDays = YOUNGEST_ATTACK_DAYS + r.nextDouble() * (OLDEST_FARMER_DAYS - YOUNGEST_ATTACK_DAYS);
            a.joinSpreadDays = r.nextDouble() * 14;
            a.farmReportsPerDay = 0.5 + r.nextDouble() * 4.5;
            a.farmStyle = Scenario.FarmStyle.values()[r.nextInt(3)];
            s.attacks.add(a);
        }
    }

    /**
     * The same worlds with attackers that adapt to the engine's minimum account age: the ages of
     * sleeper, new-server, competitor and pile-on accounts, drawn from
     * [{@link #YOUNGEST_ATTACK_DAYS}, hi] days, are mapped linearly onto [youngestDays, hi]. Set
     * after drawing, so the seed still draws the worlds it always drew.
     */
    static void youngerAttackers(List<Scenario> worlds, double youngestDays) {
        for (Scenario w : worlds) {
            for (Scenario.Attack a : w.attacks) {
                double hi = switch (a.kind) {
                    case sleeper, newServer -> OLDEST_FARMER_DAYS;
                    case competitor, pileOn -> OLDEST_ACCOUNT_DAYS;
                    default -> 0;
                };
                if (hi > 0) {
                    a.ageDays = youngestDays + (a.ageDays - YOUNGEST_ATTACK_DAYS) * (hi - youngestDays) / (hi - YOUNGEST_ATTACK_DAYS);
                }
            }
        }
    }
}
