package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a scenario into its event stream, deterministically from the seed: member sign-ups,
 * spam reports (from accurate and careless members), mistaken and malicious reports, positive
 * reports, spam-trap hits and the lookup counts the DNS responder would see.
 *
 * <p>The stream is open-loop: members keep receiving and reporting mail whatever any engine
 * lists, so every engine sees exactly the same events. Only moderators' answers to delisting
 * requests depend on the engine (see {@link Moderator}).
 */
final class StreamGenerator {

    /** A fixed, recent start time keeps runs reproducible. */
    static final long START = 1_790_000_000_000L - Math.floorMod(1_790_000_000_000L, EngineConfig.DAY);

    final Scenario s;
    final SplittableRandom rnd;
    final long stepMillis;
    final int steps;
    final double stepHours;

    final List<EngineEvent> events = new ArrayList<>(1 << 20);
    final List<SenderInstance> instances = new ArrayList<>();
    /** Sender groups by {@link SenderInstance#group}: the scenario's, then one per new-server attack (its targets). */
    final List<Scenario.SenderGroup> groups = new ArrayList<>();
    private final HashMap<IpBlock, SenderInstance> byIp = new HashMap<>();
    private final HashSet<Integer> usedNetworks = new HashSet<>();
    private long nextReportId = 1;
    long nextMemberId = 1;
    /** When each member group's account joined (past evidence is reported only by members who existed). */
    private final HashMap<Long, Long> joinedAt = new HashMap<>();
    /** Senders active in the current step (may still hold ones that ended this step). */
    final ArrayList<SenderInstance> active = new ArrayList<>();
    /** Honest spam reports and trap hits emitted so far per instance (what public feeds would show). */
    int[] evidenceSoFar = new int[0];
    /** Events of shielding attacks (vouch-shield, volume-inflation): left out of the control run. */
    final BitSet shieldEvents = new BitSet();
    /** Report ids of honest members' spam reports on real spam sources (a strike for these is wrongful). */
    final BitSet honestSpamReports = new BitSet();
    /** Every attacking account. */
    final HashSet<Long> attackers = new HashSet<>();
    /** Accounts of attacks whose members also report like everyone else (turncoat, vouch-shield), per attack. */
    final HashMap<Integer, long[]> poolAttackAccounts = new HashMap<>();

    /** Members who report spam, with cumulative activity for weighted choice. */
    private long[] reporters = new long[0];
    private double[] reporterCumulative = new double[0];
    private final List<long[]> groupMembers = new ArrayList<>();
    private long[] accurateMembers = new long[0];

    StreamGenerator(Scenario scenario) {
        this.s = scenario;
        this.rnd = new SplittableRandom(scenario.seed);
        this.stepMillis = scenario.stepMinutes * 60_000L;
        this.steps = (int) Math.round(scenario.days * 1440 / scenario.stepMinutes);
        this.stepHours = scenario.stepMinutes / 60.0;
    }

    GeneratedRun generate() {
        int warmupSteps = (int) Math.round(s.warmupDays * 1440 / s.stepMinutes);
        buildSenders();
        evidenceSoFar = new int[instances.size()];
        buildMembers();
        List<AttackPlan> plans = AttackPlan.plan(this);
        emitHistory();
        emitPastTraffic();
        // the preamble (sign-ups, pins, track records) in time order; stable, so equal times keep their order
        events.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
        SenderInstance[] all = instances.toArray(new SenderInstance[0]);
        // instances sorted by start step so the active set is cheap to maintain
        SenderInstance[] byStart = all.clone();
        Arrays.sort(byStart, (a, b) -> Integer.compare(a.startStep, b.startStep));

        int[] stepStart = new int[steps + 1];
        int[][] senders = new int[steps][];
        int[][] spam = new int[steps][];
        int[][] wanted = new int[steps][];
        int nextStart = 0;
        int trafficEvery = s.trafficEveryMinutes / s.stepMinutes;
        int[] ids = new int[all.length];
        int[] sp = new int[all.length];
        int[] wa = new int[all.length];
        TrafficLedger traffic = new TrafficLedger(all.length, s.lookupsPerMessage, events);

        for (int k = 0; k < steps; k++) {
            stepStart[k] = k == 0 ? 0 : events.size(); // step 0 also carries the sign-ups before the run
            long t = START + k * stepMillis;
            long mid = t + stepMillis / 2;
            while (nextStart < byStart.length && byStart[nextStart].startStep <= k) {
                active.add(byStart[nextStart++]);
            }
            boolean trafficStep = (k + 1) % trafficEvery == 0;
            for (AttackPlan p : plans) {
                p.step(k, t, mid, trafficStep ? t + stepMillis - 1 : -1);
            }
            int n = 0;
            for (int i = active.size() - 1; i >= 0; i--) {
                if (SenderInstance.retiredAt(active, i, k)) {
                    continue;
                }
                SenderInstance in = active.get(i);
                Scenario.SenderGroup g = groups.get(in.group);
                double hourOfDay = ((k * stepHours) + in.phaseHours) % 24.0;
                if (g.activeHoursPerDay < 24 && hourOfDay >= g.activeHoursPerDay) {
                    continue;
                }
                double mean = g.messagesPerHour * stepHours;
                int spamN = poisson(mean * g.spamShare);
                int wantedN = poisson(mean * (1 - g.spamShare));
                if (spamN + wantedN == 0) {
                    continue;
                }
                ids[n] = in.id;
                sp[n] = spamN;
                wa[n] = wantedN;
                n++;
                traffic.sent(in, spamN + wantedN, mid);
                emitMailEvidence(in, g, spamN, wantedN, mid);
            }
            senders[k] = Arrays.copyOf(ids, n);
            spam[k] = Arrays.copyOf(sp, n);
            wanted[k] = Arrays.copyOf(wa, n);
            if (trafficStep) {
                traffic.endInterval(plans, t + stepMillis - 1);
            }
        }
        stepStart[steps] = events.size();
        List<GeneratedRun.AttackInfo> attacks = new ArrayList<>();
        for (AttackPlan p : plans) {
            attacks.add(new GeneratedRun.AttackInfo(p.attack.kind, p.startStep, p.targets));
        }
        EngineEvent[] stream = events.toArray(new EngineEvent[0]);
        BitSet attackReports = new BitSet();
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] instanceof EngineEvent.ReportFiled r && attackers.contains(r.memberId())) {
                attackReports.set(i);
            }
        }
        return new GeneratedRun(s, START, stepMillis, steps, warmupSteps, stream, stepStart,
                senders, spam, wanted, all, byIp, attacks, shieldEvents, honestSpamReports, attackReports);
    }

    private void emitMailEvidence(SenderInstance in, Scenario.SenderGroup g, int spamN, int wantedN, long at) {
        if (spamN > 0) {
            int reports = poisson(spamN * g.spamReportsPerThousand / 1000.0);
            for (int r = 0; r < reports && reporters.length > 0; r++) {
                report(pickReporter(), in.ip, Verdict.SPAM, at);
                evidenceSoFar[in.id]++;
            }
            int traps = poisson(spamN * g.trapHitsPerThousand / 1000.0);
            if (traps > 0) {
                events.add(new EngineEvent.TrapHit(in.ip, traps, at));
                evidenceSoFar[in.id]++;
            }
        }
        if (wantedN > 0) {
            for (int gi = 0; gi < s.members.size(); gi++) {
                Scenario.MemberGroup mg = s.members.get(gi);
                double rate = in.type == Scenario.SenderClass.newsletter ? mg.wantedReportsPerThousand
                        : in.type == Scenario.SenderClass.legit ? mg.legitReportsPerThousand : 0;
                long[] group = groupMembers.get(gi);
                if (rate <= 0 || group.length == 0) {
                    continue;
                }
                int mistaken = poisson(wantedN * rate / 1000.0);
                for (int r = 0; r < mistaken; r++) {
                    report(group[rnd.nextInt(group.length)], in.ip, Verdict.SPAM, at);
                }
            }
            int positive = poisson(wantedN * s.positiveReportsPerThousandWanted / 1000.0);
            for (int r = 0; r < positive && accurateMembers.length > 0; r++) {
                report(accurateMembers[rnd.nextInt(accurateMembers.length)], in.ip, Verdict.TRUSTED, at);
            }
        }
    }

    void report(long member, IpBlock ip, Verdict verdict, long at) {
        long id = nextReportId++;
        if (verdict == Verdict.SPAM && !attackers.contains(member)) {
            SenderInstance in = byIp.get(ip);
            if (in != null && !in.legitimate() && id <= Integer.MAX_VALUE) {
                honestSpamReports.set((int) id);
            }
        }
        events.add(new EngineEvent.ReportFiled(id, member, ip, verdict, 1.0, at));
    }

    long nextReportId() {
        return nextReportId++;
    }

    long stepTime(int step) {
        return START + step * stepMillis;
    }

    /** Adds an event of a shielding attack (left out of the control run). */
    void shieldEvent(EngineEvent e) {
        shieldEvents.set(events.size());
        events.add(e);
    }

    private long pickReporter() {
        double x = rnd.nextDouble() * reporterCumulative[reporterCumulative.length - 1];
        int i = Arrays.binarySearch(reporterCumulative, x);
        if (i < 0) {
            i = -i - 1;
        }
        return reporters[Math.min(i, reporters.length - 1)];
    }

    // ------------------------------------------------------------------ population

    private void buildSenders() {
        groups.addAll(s.senders);
        for (int gi = 0; gi < s.senders.size(); gi++) {
            Scenario.SenderGroup g = s.senders.get(gi);
            int startStep = (int) Math.round(g.startDay * 1440 / s.stepMinutes);
            int life = g.lifetimeHours <= 0 ? Integer.MAX_VALUE : Math.max(1, (int) Math.round(g.lifetimeHours * 60 / s.stepMinutes));
            for (int c = 0; c < g.count; c++) {
                int network = freshNetwork();
                HashSet<Integer> usedHosts = new HashSet<>();
                for (int a = 0; a < g.addressesPerNetwork; a++) {
                    double phase = rnd.nextDouble() * 24;
                    // staggered lifetimes: slots do not all rotate at the same moment
                    int from = startStep;
                    int until = life == Integer.MAX_VALUE ? steps : startStep + 1 + rnd.nextInt(life);
                    while (from < steps) {
                        IpBlock ip = g.addressesPerNetwork > 1 || g.type == Scenario.SenderClass.snowshoe
                                ? hostIn(network, usedHosts) : hostIn(freshNetworkIfRotating(network, from, startStep), usedHosts);
                        addInstance(gi, g.type, ip, from, Math.min(until, steps), phase);
                        from = until;
                        until = life == Integer.MAX_VALUE ? steps : from + life;
                    }
                }
            }
        }
        AttackPlan.addNewServers(this);
    }

    SenderInstance addInstance(int group, Scenario.SenderClass type, IpBlock ip, int from, int until, double phase) {
        SenderInstance in = new SenderInstance(instances.size(), group, type, ip, from, until, phase);
        instances.add(in);
        byIp.put(ip, in);
        return in;
    }

    /** A single-address sender that rotates moves to a new network each time (botnets span the Internet). */
    private int freshNetworkIfRotating(int network, int from, int startStep) {
        return from == startStep ? network : freshNetwork();
    }

    /** A /24 no other sender uses (so a snowshoe block never covers an unrelated sender by chance). */
    int freshNetwork() {
        while (true) {
            int a = PublicNetworks.FIRST_OCTETS[rnd.nextInt(PublicNetworks.FIRST_OCTETS.length)];
            int net = (a << 16) | rnd.nextInt(1 << 16);
            if (usedNetworks.add(net)) {
                return net;
            }
        }
    }

    IpBlock hostIn(int network, HashSet<Integer> used) {
        int host;
        int tries = 0;
        do {
            host = 1 + rnd.nextInt(254);
        } while (!used.add(host) && ++tries < 1000);
        return IpBlock.ofV4((network << 8) | host, 32);
    }

    /** Past reports (time, member) replayed before the run; see {@link Scenario.MemberGroup#historyReportsPerDay}. */
    private final List<long[]> history = new ArrayList<>();

    void addHistory(long member, long joinedAt, double perDay) {
        if (perDay <= 0) {
            return;
        }
        long from = Math.max(joinedAt, START - 365 * EngineConfig.DAY);
        long to = START - EngineConfig.DAY;
        int n = (int) Math.round((to - from) / (double) EngineConfig.DAY * perDay);
        for (int i = 0; i < n; i++) {
            history.add(new long[] {from + (long) (rnd.nextDouble() * (to - from)), member});
        }
    }

    /** Each past report names its own past spam source, which then hits a trap an hour later. */
    private void emitHistory() {
        history.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        List<EngineEvent> past = new ArrayList<>(history.size() * 2);
        for (long[] h : history) {
            IpBlock ip = hostIn(freshNetwork(), new HashSet<>());
            past.add(new EngineEvent.ReportFiled(nextReportId++, h[1], ip, Verdict.SPAM, 1.0, h[0]));
            past.add(new EngineEvent.TrapHit(ip, 1, h[0] + EngineConfig.HOUR));
        }
        // merge by time so every engine sees a time-ordered past
        past.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
        events.addAll(past);
    }

    /**
     * Senders that were already sending before the run have been looked up before: the DNS
     * responder's daily counts of the two previous weeks (otherwise every engine would meet a big
     * provider as if it had never sent mail). Spam senders also drew reports and trap hits then,
     * at the run's rates: two weeks of lookups without any evidence would be a clean record no
     * spam source has.
     */
    private void emitPastTraffic() {
        for (SenderInstance in : instances) {
            if (in.startStep != 0) {
                continue;
            }
            Scenario.SenderGroup g = groups.get(in.group);
            long perDay = Math.round(g.messagesPerHour * g.activeHoursPerDay * s.lookupsPerMessage);
            if (perDay <= 0) {
                continue;
            }
            for (int d = 14; d >= 1; d--) {
                long day = START - d * EngineConfig.DAY;
                events.add(new EngineEvent.TrafficObserved(in.ip, perDay, day));
                if (in.type.isSpam()) {
                    emitPastEvidence(in, g, day);
                }
            }
        }
    }

    private void emitPastEvidence(SenderInstance in, Scenario.SenderGroup g, long day) {
        double spamPerDay = g.messagesPerHour * g.activeHoursPerDay * g.spamShare;
        int traps = poisson(spamPerDay * g.trapHitsPerThousand / 1000.0);
        for (int i = 0; i < traps; i++) {
            events.add(new EngineEvent.TrapHit(in.ip, 1, day + (long) (rnd.nextDouble() * EngineConfig.DAY)));
        }
        int reports = poisson(spamPerDay * g.spamReportsPerThousand / 1000.0);
        for (int i = 0; i < reports && reporters.length > 0; i++) {
            long at = day + (long) (rnd.nextDouble() * EngineConfig.DAY);
            long member = pickReporter();
            if (joinedAt.getOrDefault(member, Long.MAX_VALUE) <= at) {
                report(member, in.ip, Verdict.SPAM, at);
            }
        }
    }

    private void buildMembers() {
        List<Long> pool = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Long> accurate = new ArrayList<>();
        for (Scenario.MemberGroup g : s.members) {
            long[] ids = new long[g.count];
            for (int i = 0; i < g.count; i++) {
                long id = nextMemberId++;
                ids[i] = id;
                // ages spread over the last quarter so that not every account turns a week old at once
                long age = (long) (g.ageDays * EngineConfig.DAY * (0.75 + 0.25 * rnd.nextDouble()));
                events.add(new EngineEvent.MemberJoined(id, START - age));
                joinedAt.put(id, START - age);
                addHistory(id, START - age, g.historyReportsPerDay);
                if (g.kind == Scenario.MemberKind.seed) {
                    events.add(new EngineEvent.TrustPinned(id, g.pinnedTrust, START));
                }
                if (g.kind != Scenario.MemberKind.inactive && g.activity > 0) {
                    pool.add(id);
                    weights.add(g.activity);
                }
                if (g.kind == Scenario.MemberKind.accurate || g.kind == Scenario.MemberKind.seed) {
                    accurate.add(id);
                }
            }
            groupMembers.add(ids);
        }
        // turncoats and vouch-shield accounts: long-standing members who report spam like the
        // others (turncoats until they turn, vouchers all along, while they shield their sources)
        for (int ai = 0; ai < s.attacks.size(); ai++) {
            Scenario.Attack a = s.attacks.get(ai);
            if (a.kind == Scenario.AttackKind.turncoat || a.kind == Scenario.AttackKind.vouchShield) {
                long[] ids = new long[a.accounts];
                for (int i = 0; i < a.accounts; i++) {
                    long id = nextMemberId++;
                    ids[i] = id;
                    attackers.add(id);
                    events.add(new EngineEvent.MemberJoined(id, START - (long) (a.ageDays * EngineConfig.DAY)));
                    addHistory(id, START - (long) (a.ageDays * EngineConfig.DAY), a.historyReportsPerDay);
                    pool.add(id);
                    weights.add(1.0);
                    if (a.kind == Scenario.AttackKind.turncoat) {
                        accurate.add(id);
                    }
                }
                poolAttackAccounts.put(ai, ids);
            }
        }
        reporters = pool.stream().mapToLong(Long::longValue).toArray();
        reporterCumulative = new double[weights.size()];
        double sum = 0;
        for (int i = 0; i < weights.size(); i++) {
            sum += weights.get(i);
            reporterCumulative[i] = sum;
        }
        accurateMembers = accurate.stream().mapToLong(Long::longValue).toArray();
    }

    // ------------------------------------------------------------------ randomness

    /** Poisson draw: exact for small means, normal approximation for large ones. */
    int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean < 30) {
            double l = Math.exp(-mean);
            int k = 0;
            double p = rnd.nextDouble();
            while (p > l) {
                k++;
                p *= rnd.nextDouble();
            }
            return k;
        }
        double v = mean + Math.sqrt(mean) * rnd.nextGaussian();
        return v <= 0 ? 0 : (int) Math.round(v);
    }
}
