package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.IpBlock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one scenario: generates its event stream once, then drives TrustBL and the two baselines
 * over it step by step, asking each which senders it lists, and scores them.
 */
public final class Simulation {

    /** The outcome of one scenario. */
    public record Result(String scenario, long seed, long events, double trustblEventsPerSecond,
                         Map<String, Map<String, Object>> engines, List<String> failedChecks) {

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", scenario);
            m.put("seed", seed);
            m.put("events", events);
            m.put("trustblEventsPerSecond", Math.round(trustblEventsPerSecond));
            m.put("engines", engines);
            m.put("checks", failedChecks.isEmpty() ? "pass" : failedChecks);
            return m;
        }

        public double number(String engine, String field) {
            Object v = engines.get(engine).get(field);
            return v == null ? Double.NaN : ((Number) v).doubleValue();
        }

        /** Targets of the named attack kind that the engine listed (0 when the scenario has no such attack). */
        @SuppressWarnings("unchecked")
        public int attackTargetsListed(String engine, Scenario.AttackKind kind) {
            Map<String, Object> attacks = (Map<String, Object>) engines.get(engine).get("attacks");
            int n = 0;
            for (Map.Entry<String, Object> e : attacks.entrySet()) {
                if (e.getKey().startsWith(kind.name())) {
                    n += ((Number) ((Map<String, Object>) e.getValue()).get("targetsListed")).intValue();
                }
            }
            return n;
        }
    }

    private final EngineConfig config;

    public Simulation(EngineConfig config) {
        this.config = config;
    }

    public Result run(Scenario scenario) {
        GeneratedRun run = new StreamGenerator(scenario).generate();
        Map<String, Map<String, Object>> engines = new LinkedHashMap<>();
        drive(run, new TrustBlModel(config), engines);
        drive(run, new ScblModel(), engines);
        drive(run, new TrusticModel(), engines);
        double perSecond = throughput(run);
        return new Result(scenario.name, scenario.seed, run.events.length, perSecond, engines, checks(scenario, engines));
    }

    /**
     * Engine throughput: a fresh engine applies the whole stream again, alone (no polling, no
     * moderator), after the scored run has warmed the JIT up; best of two passes. Events per
     * second of the engine itself: the figure that matters for the service's replay and ingestion.
     */
    private double throughput(GeneratedRun run) {
        double best = 0;
        for (int pass = 0; pass < 2; pass++) { // best of two: the machine is shared
            net.trustbl.engine.TrustEngine engine = new net.trustbl.engine.TrustEngine(config);
            java.util.function.Consumer<net.trustbl.engine.Decision> sink = d -> { };
            EngineEvent[] stream = run.events;
            long t0 = System.nanoTime();
            for (EngineEvent e : stream) {
                engine.apply(e, sink);
            }
            long nanos = System.nanoTime() - t0;
            best = Math.max(best, nanos == 0 ? 0 : stream.length * 1e9 / nanos);
        }
        return best;
    }

    /** Runs one model over the stream, with its own moderator, and scores it. */
    private static void drive(GeneratedRun run, ListingModel model, Map<String, Map<String, Object>> out) {
        Scoreboard board = new Scoreboard(run);
        Moderator moderator = new Moderator(run.scenario.moderation);
        SenderInstance[] byStart = run.instances.clone();
        Arrays.sort(byStart, (a, b) -> Integer.compare(a.startStep, b.startStep));
        ArrayList<SenderInstance> active = new ArrayList<>();
        boolean[] listedNow = new boolean[run.instances.length];
        int nextStart = 0;
        EngineEvent[] stream = run.events;
        for (int k = 0; k < run.steps; k++) {
            long t = run.stepTime(k);
            moderator.deliverDue(t, model);
            while (nextStart < byStart.length && byStart[nextStart].startStep <= k) {
                active.add(byStart[nextStart++]);
            }
            for (int i = active.size() - 1; i >= 0; i--) {
                SenderInstance in = active.get(i);
                if (in.endStep <= k) {
                    active.set(i, active.get(active.size() - 1));
                    active.remove(active.size() - 1);
                    continue;
                }
                boolean listed = model.isListed(in.ip);
                listedNow[in.id] = listed;
                board.active(k, in, listed);
                if (listed && in.legitimate()) {
                    moderator.delistingRequested(in.ip, t);
                }
            }
            int[] senders = run.senders[k];
            for (int i = 0; i < senders.length; i++) {
                SenderInstance in = run.instances[senders[i]];
                board.sent(k, in, run.spamMessages[k][i], listedNow[in.id]);
            }
            int from = run.stepStart[k];
            int to = run.stepStart[k + 1];
            for (int i = from; i < to; i++) {
                model.apply(stream[i]);
            }
            for (IpBlock held : model.drainHeld()) {
                SenderInstance in = run.byIp.get(held);
                if (in != null && !in.legitimate()) {
                    moderator.holdReviewed(held, t);
                }
            }
        }
        Map<String, Object> result = board.result();
        result.put("delistingsUpheld", moderator.delistingsUpheld);
        result.put("holdsConfirmed", moderator.holdsConfirmed);
        out.put(model.name(), result);
    }

    /** The acceptance rules for a scenario; empty when all hold. */
    static List<String> checks(Scenario scenario, Map<String, Map<String, Object>> engines) {
        List<String> failed = new ArrayList<>();
        double fl = num(engines, "trustbl", "falseListingSenderHours");
        for (String baseline : List.of("scbl", "trustic")) {
            double b = num(engines, baseline, "falseListingSenderHours");
            if (b == 0 ? fl > 0 : fl > b / 10) {
                failed.add(String.format(java.util.Locale.ROOT,
                        "false listings %.1f h not <= 1/10 of %s's %.1f h", fl, baseline, b));
            }
        }
        double caught = num(engines, "trustbl", "spamCaughtShare");
        double scbl = num(engines, "scbl", "spamCaughtShare");
        if (caught < scbl) {
            failed.add(String.format(java.util.Locale.ROOT, "spam caught %.4f < scbl's %.4f", caught, scbl));
        }
        if (num(engines, "trustbl", "bigProvidersListed") > 0) {
            failed.add("a big provider was listed");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> attacks = (Map<String, Object>) engines.get("trustbl").get("attacks");
        for (Map.Entry<String, Object> e : attacks.entrySet()) {
            @SuppressWarnings("unchecked")
            int listed = ((Number) ((Map<String, Object>) e.getValue()).get("targetsListed")).intValue();
            if (e.getKey().startsWith("sybil") && listed > 0) {
                failed.add("the sybil flood listed " + listed + " legitimate senders");
            }
        }
        return failed;
    }

    private static double num(Map<String, Map<String, Object>> engines, String engine, String field) {
        return ((Number) engines.get(engine).get(field)).doubleValue();
    }
}
