package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.Verdict;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * One attack of a scenario unrolled over the steps of the run: the attackers' sign-ups, the
 * reports they farm trust with, and their reports against (or, for shielding attacks, in favour
 * of) their targets. See docs/simulator.md for each kind.
 */
final class AttackPlan {

    /** Farming accounts see a spam source "early" during its first two hours. */
    private static final int EARLY_MINUTES = 120;
    /** Pile-on farming goes for sources reported or trapped within the last day. */
    private static final int PILE_ON_MINUTES = 24 * 60;

    final Scenario.Attack attack;
    final long[] accounts;
    /** Attacked instances: legitimate senders, or spam sources for shielding attacks. */
    final int[] targets;
    final int startStep;
    final int endStep;
    private final StreamGenerator g;
    /** Step at which each account signs up (sybil, sleeper); accounts[0..joined) exist. */
    private final int[] joinStep;
    private int joined;
    private final int dayStep;
    /** Volume-inflation: steps before a source starts sending that its operator starts querying it. */
    private final int prewarmSteps;

    private AttackPlan(StreamGenerator g, Scenario.Attack attack, long[] accounts, int[] targets, int[] joinStep) {
        this.g = g;
        this.attack = attack;
        this.accounts = accounts;
        this.targets = targets;
        this.startStep = (int) Math.round(attack.startDay * 1440 / g.s.stepMinutes);
        this.endStep = Math.min(g.steps, startStep + Math.max(1, (int) Math.round(attack.durationDays * 1440 / g.s.stepMinutes)));
        this.joinStep = joinStep;
        this.joined = joinStep == null ? accounts.length : 0;
        this.dayStep = 1440 / g.s.stepMinutes;
        this.prewarmSteps = (int) Math.round(Math.max(0, attack.prewarmDays) * 1440 / g.s.stepMinutes);
    }

    /** Plans every attack of the scenario: picks targets (distinct across attacks) and accounts. */
    static List<AttackPlan> plan(StreamGenerator g) {
        List<SenderInstance> legit = new ArrayList<>();
        for (SenderInstance in : g.instances) {
            if (in.type == Scenario.SenderClass.legit && in.startStep == 0 && in.endStep == g.steps && in.group < g.s.senders.size()) {
                legit.add(in);
            }
        }
        shuffle(g, legit);
        List<AttackPlan> plans = new ArrayList<>();
        int nextLegit = 0;
        for (int ai = 0; ai < g.s.attacks.size(); ai++) {
            Scenario.Attack a = g.s.attacks.get(ai);
            int[] targets;
            if (a.kind == Scenario.AttackKind.newServer) {
                targets = newServersOf(g, ai);
            } else if (a.kind.targetsLegitimateSenders()) {
                int count = Math.min(a.targets, legit.size() - nextLegit);
                targets = new int[count];
                for (int i = 0; i < count; i++) {
                    SenderInstance t = legit.get(nextLegit++);
                    t.attackedBy = ai;
                    targets[i] = t.id;
                }
            } else {
                targets = shieldedSources(g, a, ai);
            }
            long[] accounts = accountsOf(g, a, ai);
            plans.add(new AttackPlan(g, a, accounts, targets, joinSteps(g, a, accounts)));
        }
        return plans;
    }

    /**
     * A new-server attack's targets: legitimate servers that start sending one after another
     * during the first half of the attack, so each is attacked in its first days (no lookup
     * history, no clean record). Called once the scenario's own senders exist.
     */
    static void addNewServers(StreamGenerator g) {
        for (Scenario.Attack a : g.s.attacks) {
            if (a.kind != Scenario.AttackKind.newServer || a.targets <= 0) {
                continue;
            }
            Scenario.SenderGroup group = new Scenario.SenderGroup();
            group.name = "new servers attacked";
            group.count = a.targets;
            group.messagesPerHour = a.targetMessagesPerHour;
            group.startDay = a.startDay;
            g.groups.add(group);
            int start = (int) Math.round(a.startDay * 1440 / g.s.stepMinutes);
            int half = Math.max(1, (int) Math.round(a.durationDays * 1440 / g.s.stepMinutes) / 2);
            for (int i = 0; i < a.targets; i++) {
                int from = Math.min(g.steps - 1, start + (int) ((long) half * i / a.targets));
                g.addInstance(g.groups.size() - 1, Scenario.SenderClass.legit, g.hostIn(g.freshNetwork(), new HashSet<>()),
                        from, g.steps, g.rnd.nextDouble() * 24);
            }
        }
    }

    /** The instances {@link #addNewServers} made for attack ai (groups follow the scenario's, in attack order). */
    private static int[] newServersOf(StreamGenerator g, int ai) {
        int group = g.s.senders.size();
        for (int i = 0; i < ai; i++) {
            Scenario.Attack before = g.s.attacks.get(i);
            group += before.kind == Scenario.AttackKind.newServer && before.targets > 0 ? 1 : 0;
        }
        List<Integer> ids = new ArrayList<>();
        for (SenderInstance in : g.instances) {
            if (in.group == group) {
                in.attackedBy = ai;
                ids.add(in.id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] accountsOf(StreamGenerator g, Scenario.Attack a, int ai) {
        long[] pooled = g.poolAttackAccounts.get(ai);
        if (pooled != null) {
            return pooled;
        }
        long[] accounts = new long[a.accounts];
        for (int i = 0; i < a.accounts; i++) {
            accounts[i] = g.nextMemberId++;
            g.attackers.add(accounts[i]);
        }
        if (a.kind == Scenario.AttackKind.competitor || a.kind == Scenario.AttackKind.pileOn) {
            for (long id : accounts) {
                g.events.add(new EngineEvent.MemberJoined(id, StreamGenerator.START - (long) (a.ageDays * EngineConfig.DAY)));
            }
        }
        return accounts;
    }

    /** Sign-up steps: sybils during the first half of the attack, sleepers over a window before it. */
    private static int[] joinSteps(StreamGenerator g, Scenario.Attack a, long[] accounts) {
        int start = (int) Math.round(a.startDay * 1440 / g.s.stepMinutes);
        int duration = Math.max(1, (int) Math.round(a.durationDays * 1440 / g.s.stepMinutes));
        int[] steps = new int[a.accounts];
        if (a.kind == Scenario.AttackKind.sybil) {
            int span = Math.max(1, duration / 2);
            for (int i = 0; i < steps.length; i++) {
                // account i exists once (k - start + 1) / span of them do
                steps[i] = start + (int) Math.ceil((double) (i + 1) * span / Math.max(1, steps.length)) - 1;
            }
            return steps;
        }
        if (a.kind == Scenario.AttackKind.sleeper || a.kind == Scenario.AttackKind.newServer
                || a.kind == Scenario.AttackKind.neighbourhood) {
            int last = start - (int) Math.round(a.ageDays * 1440 / g.s.stepMinutes);
            int first = last - (int) Math.round(a.joinSpreadDays * 1440 / g.s.stepMinutes);
            for (int i = 0; i < steps.length; i++) {
                steps[i] = first + (int) ((long) (last - first) * i / Math.max(1, steps.length));
            }
            // accounts created before the run joined in the preamble
            for (int i = 0; i < steps.length; i++) {
                if (steps[i] < 0) {
                    g.events.add(new EngineEvent.MemberJoined(accounts[i], g.stepTime(steps[i])));
                    g.addHistory(accounts[i], g.stepTime(steps[i]), a.historyReportsPerDay); // patient farmers
                }
            }
            return steps;
        }
        return null;
    }

    /** Spam sources that start sending during the attack (the attacker knows its next addresses). */
    private static int[] shieldedSources(StreamGenerator g, Scenario.Attack a, int ai) {
        int start = (int) Math.round(a.startDay * 1440 / g.s.stepMinutes);
        int end = start + Math.max(1, (int) Math.round(a.durationDays * 1440 / g.s.stepMinutes));
        List<SenderInstance> fresh = new ArrayList<>();
        for (SenderInstance in : g.instances) {
            if (!in.legitimate() && in.attackedBy < 0 && in.startStep >= start && in.startStep < end) {
                fresh.add(in);
            }
        }
        shuffle(g, fresh);
        int count = Math.min(a.targets, fresh.size());
        int[] targets = new int[count];
        for (int i = 0; i < count; i++) {
            fresh.get(i).attackedBy = ai;
            targets[i] = fresh.get(i).id;
        }
        return targets;
    }

    private static void shuffle(StreamGenerator g, List<SenderInstance> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = g.rnd.nextInt(i + 1);
            SenderInstance tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }

    /**
     * Step k of the run: sign-ups, farming before the attack, reports during it.
     *
     * @param trafficAt the time of this step's lookup counts, or -1 when none are due
     */
    void step(int k, long t, long mid, long trafficAt) {
        if (accounts.length == 0) {
            return;
        }
        if (joinStep != null) {
            while (joined < accounts.length && joinStep[joined] <= k) {
                if (joinStep[joined] >= 0) {
                    g.events.add(new EngineEvent.MemberJoined(accounts[joined], t));
                }
                joined++;
            }
        }
        if (joined == 0) {
            return;
        }
        switch (attack.kind) {
            case sleeper, pileOn, newServer, neighbourhood -> {
                if (k < startStep) {
                    farm(k, mid);
                } else {
                    attackTargets(k, mid);
                }
            }
            case vouchShield -> vouch(k, mid);
            case volumeInflation -> prewarm(k, trafficAt);
            default -> attackTargets(k, mid);
        }
    }

    private void attackTargets(int k, long mid) {
        if (k < startStep || k >= endStep || targets.length == 0) {
            return;
        }
        int live = targets.length;
        if (attack.kind == Scenario.AttackKind.newServer) {
            // targets start one after another, in order: report only those already sending
            live = 0;
            while (live < targets.length && g.instances.get(targets[live]).startStep <= k) {
                live++;
            }
            if (live == 0) {
                return;
            }
        }
        int reports = g.poisson(joined * attack.reportsPerAccountPerDay * g.stepHours / 24.0);
        for (int r = 0; r < reports; r++) {
            SenderInstance target = g.instances.get(targets[g.rnd.nextInt(live)]);
            if (attack.kind == Scenario.AttackKind.neighbourhood) {
                reportNeighbour(target, mid);
            } else {
                g.report(accounts[g.rnd.nextInt(joined)], target.ip, Verdict.SPAM, mid);
            }
        }
    }

    /**
     * A neighbourhood attack's report: an address of the target's /24 that nobody uses, looked up
     * once by the attacker (from one of its networks: one counted lookup) and then reported by
     * one account. Every sender of the model has a /24 of its own, so the neighbour is quiet.
     */
    private void reportNeighbour(SenderInstance target, long mid) {
        int base = target.ip.v4() & ~0xff;
        int neighbour;
        do {
            neighbour = base | (1 + g.rnd.nextInt(254));
        } while (neighbour == target.ip.v4());
        net.trustbl.address.IpBlock ip = net.trustbl.address.IpBlock.ofV4(neighbour, 32);
        g.events.add(new EngineEvent.TrafficObserved(ip, 1, mid));
        g.report(accounts[g.rnd.nextInt(joined)], ip, Verdict.SPAM, mid);
    }

    /** Real spam reports that earn trust: early ones, or pile-ons onto sources others reported. */
    private void farm(int k, long mid) {
        int reports = g.poisson(joined * attack.farmReportsPerDay * g.stepHours / 24.0);
        if (reports == 0) {
            return;
        }
        List<SenderInstance> early = new ArrayList<>();
        List<SenderInstance> pile = new ArrayList<>();
        for (SenderInstance in : g.active) {
            if (in.legitimate() || in.endStep <= k) {
                continue;
            }
            int ageMinutes = (k - in.startStep) * g.s.stepMinutes;
            int evidence = g.evidenceSoFar[in.id];
            if (evidence == 0 && ageMinutes < EARLY_MINUTES) {
                early.add(in);
            } else if (evidence > 0 && ageMinutes < PILE_ON_MINUTES) {
                pile.add(in);
            }
        }
        for (int r = 0; r < reports; r++) {
            boolean pileOn = attack.kind == Scenario.AttackKind.pileOn || attack.farmStyle == Scenario.FarmStyle.pileOn
                    || (attack.farmStyle == Scenario.FarmStyle.mixed && g.rnd.nextBoolean());
            List<SenderInstance> from = pileOn ? pile : early;
            if (!from.isEmpty()) {
                g.report(accounts[g.rnd.nextInt(joined)], from.get(g.rnd.nextInt(from.size())).ip, Verdict.SPAM, mid);
            }
        }
    }

    /** Positive reports for the shielded sources, from a day before each starts until it stops. */
    private void vouch(int k, long mid) {
        if (k < startStep - dayStep) {
            return;
        }
        List<SenderInstance> live = liveTargets(k);
        if (live.isEmpty()) {
            return;
        }
        int reports = g.poisson(joined * attack.reportsPerAccountPerDay * g.stepHours / 24.0);
        for (int r = 0; r < reports; r++) {
            SenderInstance target = live.get(g.rnd.nextInt(live.size()));
            g.shieldEvent(new EngineEvent.ReportFiled(g.nextReportId(), accounts[g.rnd.nextInt(joined)], target.ip,
                    Verdict.TRUSTED, 1.0, mid));
        }
    }

    private List<SenderInstance> liveTargets(int k) {
        List<SenderInstance> live = new ArrayList<>();
        for (int id : targets) {
            SenderInstance in = g.instances.get(id);
            if (k >= in.startStep - dayStep && k < in.endStep) {
                live.add(in);
            }
        }
        return live;
    }

    /**
     * The operator queries its next addresses from its networks for {@code prewarmDays} before
     * they send (a day by default): the lookups make a fresh address look like one receivers
     * have known for a while.
     */
    private void prewarm(int k, long trafficAt) {
        if (trafficAt < 0) {
            return;
        }
        for (int id : targets) {
            SenderInstance in = g.instances.get(id);
            if (k >= in.startStep - prewarmSteps && k < in.startStep) {
                g.shieldEvent(new EngineEvent.TrafficObserved(in.ip, counted(Long.MAX_VALUE), trafficAt));
            }
        }
    }

    /**
     * A volume-inflation target's lookup count just reported: the operator adds {@code inflation}
     * queries per real lookup, but the responder counts a lookup once per address and client
     * network per interval, so what reaches the engine is at most one per operator network.
     */
    void inflate(SenderInstance in, long realLookups, long at) {
        if (attack.kind != Scenario.AttackKind.volumeInflation || in.attackedBy < 0 || realLookups <= 0
                || g.s.attacks.get(in.attackedBy) != attack) {
            return;
        }
        long queries = (long) Math.min(Long.MAX_VALUE / 2, Math.ceil(realLookups * attack.inflation));
        long extra = counted(queries);
        if (extra > 0) {
            g.shieldEvent(new EngineEvent.TrafficObserved(in.ip, extra, at));
        }
    }

    /** The responder's counting rule: one lookup per (address, client /24) per interval. */
    private long counted(long queries) {
        return Math.min(queries, Math.max(0, attack.networks));
    }
}
