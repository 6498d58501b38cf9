package net.trustbl.engine.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.trustbl.engine.EngineConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -cp ... net.trustbl.engine.simulate.SimulatorMain [--json] SCENARIO...}: runs each
 * scenario (a file path or a bundled name; "all" = every bundled one) through TrustBL and the
 * scbl and trustic baselines and prints the comparison, or one JSON object per scenario with
 * --json. Exit code 0 when every scenario passes the checks, 1 when one fails, 2 on bad usage.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean json = false;
        List<String> names = new ArrayList<>();
        java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();
        Long seed = null;
        int worlds = 0;
        String out = "target/sweep";
        int threads = Runtime.getRuntime().availableProcessors();
        int worst = 5;
        double prewarmDays = -1;
        double youngestAttackDays = -1;
        double patientFarmerDays = -1;
        boolean networkAttacks = false;
        boolean throughput = false;
        double spamDelistingShare = -1;
        boolean trace = false;
        boolean attacked = false;
        int shown = 10;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--trace")) {
                trace = true;
            } else if (a.equals("--attacked")) {
                attacked = true;
            } else if (a.equals("--show") && i + 1 < args.length) {
                shown = Integer.parseInt(args[++i]);
            } else if (a.equals("--worlds") && i + 1 < args.length) {
                worlds = Integer.parseInt(args[++i]);
            } else if (a.equals("--out") && i + 1 < args.length) {
                out = args[++i];
            } else if (a.equals("--throughput")) {
                throughput = true;
            } else if (a.equals("--worst") && i + 1 < args.length) {
                worst = Integer.parseInt(args[++i]);
            } else if (a.equals("--prewarm-days") && i + 1 < args.length) {
                prewarmDays = Double.parseDouble(args[++i]);
                if (!(prewarmDays >= 0 && prewarmDays <= 365)) {
                    System.err.println("simulate: --prewarm-days must be 0..365");
                    System.exit(2);
                }
            } else if (a.equals("--youngest-attack-days") && i + 1 < args.length) {
                youngestAttackDays = Double.parseDouble(args[++i]);
                if (!(youngestAttackDays >= 0 && youngestAttackDays <= WorldSampler.YOUNGEST_ATTACK_DAYS)) {
                    System.err.printf(Locale.ROOT, "simulate: --youngest-attack-days must be 0..%.0f%n", WorldSampler.YOUNGEST_ATTACK_DAYS);
                    System.exit(2);
                }
            } else if (a.equals("--patient-farmers") && i + 1 < args.length) {
                patientFarmerDays = Double.parseDouble(args[++i]);
                if (!(patientFarmerDays >= WorldSampler.PATIENT_FARMER_DAYS && patientFarmerDays <= 365)) {
                    System.err.printf(Locale.ROOT, "simulate: --patient-farmers must be %.0f..365%n", WorldSampler.PATIENT_FARMER_DAYS);
                    System.exit(2);
                }
            } else if (a.equals("--network-attacks")) {
                networkAttacks = true;
            } else if (a.equals("--spam-delisting-requests") && i + 1 < args.length) {
                spamDelistingShare = Double.parseDouble(args[++i]);
                if (!(spamDelistingShare >= 0 && spamDelistingShare <= 1)) {
                    System.err.println("simulate: --spam-delisting-requests must be 0..1");
                    System.exit(2);
                }
            } else if (a.equals("--threads") && i + 1 < args.length) {
                threads = Integer.parseInt(args[++i]);
            } else if (a.equals("--set") && i + 1 < args.length && args[i + 1].contains("=")) {
                String kv = args[++i];
                overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            } else if (a.equals("--seed") && i + 1 < args.length) {
                seed = Long.parseLong(args[++i]);
            } else if (a.equals("--json")) {
                json = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                usage();
                return;
            } else if (a.equals("all")) {
                names.addAll(ScenarioLoader.BUNDLED);
            } else {
                names.add(a);
            }
        }
        if (names.isEmpty() && worlds <= 0) {
            usage();
            System.exit(2);
        }
        List<Scenario> scenarios = loadScenarios(names, seed);
        EngineConfig config;
        try {
            config = ConfigOverrides.apply(EngineConfig.defaults(), overrides);
        } catch (RuntimeException e) {
            System.err.println("simulate: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (trace) {
            for (Scenario s : scenarios) {
                new ListingTrace(config).print(s, shown, attacked, System.out);
            }
            return;
        }
        if (worlds > 0) {
            System.exit(sweep(config, worlds, seed == null ? 1 : seed, threads, java.nio.file.Path.of(out), worst, prewarmDays, youngestAttackDays, patientFarmerDays, networkAttacks, spamDelistingShare, throughput));
        }
        System.exit(runScenarios(config, scenarios, json));
    }

    /** Loads each named scenario (bundled name or file), with the seed given on the command line; exits 2 on a bad one. */
    private static List<Scenario> loadScenarios(List<String> names, Long seed) {
        List<Scenario> scenarios = new ArrayList<>();
        for (String n : names) {
            try {
                Scenario sc = ScenarioLoader.load(n);
                if (seed != null) {
                    sc.seed = seed;
                }
                scenarios.add(sc);
            } catch (Exception e) {
                System.err.println("simulate: " + n + ": " + e.getMessage());
                System.exit(2);
            }
        }
        return scenarios;
    }

    /** Runs the scenarios one by one, prints each (table or JSON) and the summary; 0 when every one passes. */
    private static int runScenarios(EngineConfig config, List<Scenario> scenarios, boolean json) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Simulation sim = new Simulation(config);
        List<Simulation.Result> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            long t0 = System.nanoTime();
            Simulation.Result r = sim.run(s);
            double seconds = (System.nanoTime() - t0) / 1e9;
            results.add(r);
            if (json) {
                System.out.println(mapper.writeValueAsString(r.json()));
            } else {
                printScenario(r, seconds);
            }
        }
        if (!json) {
            printSummary(results);
        }
        return results.stream().allMatch(r -> r.failedChecks().isEmpty()) ? 0 : 1;
    }

    /** The random-world sweep; exit status 0 when every check passes in at least 95 % of the worlds. */
    private static int sweep(EngineConfig config, int worlds, long seed, int threads, java.nio.file.Path out, int worstCount,
            double prewarmDays, double youngestAttackDays, double patientFarmerDays, boolean networkAttacks,
            double spamDelistingShare, boolean throughput) throws Exception {
        long t0 = System.nanoTime();
        List<Scenario> drawn = WorldSampler.draw(seed, worlds);
        if (prewarmDays >= 0) {
            // the same worlds, with a patient volume-inflation operator: set after drawing, so
            // the seed still draws the worlds it always drew
            WorldSampler.prewarm(drawn, prewarmDays);
        }
        if (youngestAttackDays >= 0) {
            WorldSampler.youngerAttackers(drawn, youngestAttackDays);
        }
        if (patientFarmerDays >= 0) {
            WorldSampler.patientFarmers(drawn, patientFarmerDays);
        }
        if (networkAttacks) {
            WorldSampler.networkAttacks(drawn);
        }
        if (spamDelistingShare >= 0) {
            // spammers ask for the delisting of their listed sources too (set after drawing, as above)
            drawn.forEach(w -> w.moderation.spamDelistingShare = spamDelistingShare);
        }
        List<Sweep.Outcome> outcomes = new Sweep(config, threads).run(drawn, System.out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<java.nio.file.Path> worst = Sweep.writeWorst(outcomes, out, worstCount);
        System.out.printf(Locale.ROOT, "%nrandom-world sweep: %d worlds drawn with seed %d%s, %.0f s on %d threads%n",
                worlds, seed, (prewarmDays >= 0 ? String.format(Locale.ROOT, " (volume-inflation prewarming %.1f days)", prewarmDays) : "")
                        + (youngestAttackDays >= 0 ? String.format(Locale.ROOT, " (attack accounts from %.1f days old)", youngestAttackDays) : "")
                        + (patientFarmerDays >= 0 ? String.format(Locale.ROOT, " (patient farmers %.0f-%.0f days old)", WorldSampler.PATIENT_FARMER_DAYS, patientFarmerDays) : "")
                        + (networkAttacks ? " (with a neighbourhood attack each)" : "")
                        + (spamDelistingShare >= 0 ? String.format(Locale.ROOT, " (%.0f %% of listed spam sources ask for delisting)", 100 * spamDelistingShare) : ""),
                seconds, threads);
        for (java.nio.file.Path p : worst) {
            System.out.println("worst world written: " + p + " (rerun: ops/bench/simulate " + p + ")");
        }
        boolean ok = Sweep.printShares(outcomes, System.out);
        if (throughput) {
            ok &= Sweep.printThroughput(config, drawn, out, System.out);
        }
        System.out.println("sweep goal (every check" + (throughput ? " and the engine's throughput" : "")
                + " in >= 95% of worlds): " + (ok ? "PASS" : "FAIL"));
        return ok ? 0 : 1;
    }

    private static void usage() {
        System.err.println("usage: SimulatorMain [--json] [--seed N] [--set engineSetting=value]... SCENARIO...");
        System.err.println("       SimulatorMain --worlds N [--seed S] [--threads T] [--out DIR] [--worst K] [--set ...] [--prewarm-days D] [--youngest-attack-days D] [--patient-farmers D] [--network-attacks] [--spam-delisting-requests S] [--throughput]   random-world sweep (--throughput: also the engine's events/s per world, one thread)");
        System.err.println("       SimulatorMain --trace [--show N] [--attacked] [--set ...] SCENARIO...   why trustbl listed later than scbl, or listed a legitimate sender");
        System.err.println("  --prewarm-days D: volume-inflation operators query each source for D days before it sends (drawn: 1)");
        System.err.printf(Locale.ROOT, "  --youngest-attack-days D: sleeper, new-server, competitor and pile-on accounts aged from D days (drawn: from %.0f)%n",
                WorldSampler.YOUNGEST_ATTACK_DAYS);
        System.err.printf(Locale.ROOT, "  --patient-farmers D: sleeper and new-server accounts %.0f to D days old at the attack, their farming before the run replayed (drawn: %.0f-%.0f days, farming in the run only)%n",
                WorldSampler.PATIENT_FARMER_DAYS, WorldSampler.YOUNGEST_ATTACK_DAYS, WorldSampler.OLDEST_FARMER_DAYS);
        System.err.println("  --network-attacks: every world also gets a neighbourhood attack (farmed accounts list quiet addresses of servers' /24s)");
        System.err.println("  --spam-delisting-requests S: this share (0..1) of the listed spam sources ask for delisting, which the moderator turns down (drawn: 0)");
        System.err.println("  SCENARIO: a scenario file, a bundled name, or 'all'; settings: the EngineConfig components");
        System.err.println("bundled: " + String.join(", ", ScenarioLoader.BUNDLED));
    }

    private static final String[] ENGINES = {"trustbl", "scbl", "trustic"};

    @SuppressWarnings("unchecked")
    private static void printScenario(Simulation.Result r, double seconds) {
        System.out.printf(Locale.ROOT, "%n== %s (seed %d): %,d events, %.1f s, trustbl %,.0f events/s%n",
                r.scenario(), r.seed(), r.events(), seconds, r.trustblEventsPerSecond());
        System.out.printf(Locale.ROOT, "%-34s %12s %12s %12s%n", "", "trustbl", "scbl", "trustic");
        row(r, "false-listing sender-hours", "falseListingSenderHours", "%.1f");
        row(r, "spam caught", "spamCaughtShare", "%.1f%%");
        row(r, "big providers listed", "bigProvidersListed", "%.0f");
        row(r, "attack targets listed", "attackTargetsListed", "%.0f");
        row(r, "median minutes to list", "medianMinutesToList", "%.0f");
        row(r, "p90 minutes to list", "p90MinutesToList", "%.0f");
        row(r, "delistings upheld", "delistingsUpheld", "%.0f");
        row(r, "spam delistings refused", "delistingsRefused", "%.0f");
        for (Scenario.SenderClass c : Scenario.SenderClass.values()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s", "  " + c + ": ever listed / listed h"));
            boolean any = false;
            for (String e : ENGINES) {
                @SuppressWarnings("unchecked")
                Map<String, Object> cl = (Map<String, Object>) ((Map<String, Object>) r.engines().get(e).get("classes")).get(c.name());
                if (cl == null) {
                    line.append(String.format(Locale.ROOT, " %12s", "-"));
                    continue;
                }
                any = true;
                line.append(String.format(Locale.ROOT, " %12s", String.format(Locale.ROOT, "%.0f%%/%.0f",
                        100 * ((Number) cl.get("everListedShare")).doubleValue(), ((Number) cl.get("listedSenderHours")).doubleValue())));
            }
            if (any) {
                System.out.println(line);
            }
        }
        Object without = r.engines().get("trustbl").get("spamCaughtWithoutShieldAttacks");
        if (without != null) {
            System.out.printf(Locale.ROOT, "%-34s %11.1f%%%n", "spam caught without shield attacks", 100 * ((Number) without).doubleValue());
        }
        if (r.number("scbl", "spamCaughtWithoutAttackReports") != r.number("scbl", "spamCaughtShare")) {
            // a diagnostic, not a check: how much of scbl's figure rests on the attackers' own reports
            System.out.printf(Locale.ROOT, "%-34s %12s %11.1f%%%n", "spam caught, no attackers' reports", "",
                    100 * r.number("scbl", "spamCaughtWithoutAttackReports"));
        }
        System.out.printf(Locale.ROOT, "%-34s %12s%n", "honest spam reports cleared", r.engines().get("trustbl").get("honestReportsClearedOnSpam"));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) r.engines().get("trustbl").get("attacks")).entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s", "  attack " + e.getKey() + ": targets listed"));
            for (String engine : ENGINES) {
                Map<String, Object> at = (Map<String, Object>) ((Map<String, Object>) r.engines().get(engine).get("attacks")).get(e.getKey());
                line.append(String.format(Locale.ROOT, " %12s", at.get("targetsListed") + "/" + at.get("targets")));
            }
            System.out.println(line);
        }
        System.out.println(r.failedChecks().isEmpty() ? "checks: pass" : "checks: FAIL " + r.failedChecks());
    }

    private static void row(Simulation.Result r, String label, String field, String fmt) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s", label));
        for (String e : ENGINES) {
            double v = r.number(e, field);
            if (Double.isNaN(v)) {
                line.append(String.format(Locale.ROOT, " %12s", "-"));
            } else {
                line.append(String.format(Locale.ROOT, " %12s", String.format(Locale.ROOT, fmt, fmt.contains("%%") ? 100 * v : v)));
            }
        }
        System.out.println(line);
    }

    private static void printSummary(List<Simulation.Result> results) {
        System.out.println();
        System.out.println("| scenario | false-listing sender-hours trustbl / scbl / trustic | trustbl vs scbl / trustic "
                + "| spam caught trustbl / scbl / trustic | vs scbl | big providers listed | attack targets listed "
                + "trustbl / scbl / trustic | checks |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        long events = 0;
        double seconds = 0;
        for (Simulation.Result r : results) {
            double fl = r.number("trustbl", "falseListingSenderHours");
            double caught = r.number("trustbl", "spamCaughtShare");
            System.out.printf(Locale.ROOT, "| %s | %.1f / %.1f / %.1f | %s / %s | %.1f%% / %.1f%% / %.1f%% | %.2fx | %.0f | %.0f / %.0f / %.0f | %s |%n",
                    r.scenario(), fl, r.number("scbl", "falseListingSenderHours"), r.number("trustic", "falseListingSenderHours"),
                    share(fl, r.number("scbl", "falseListingSenderHours")), share(fl, r.number("trustic", "falseListingSenderHours")),
                    100 * caught, 100 * r.number("scbl", "spamCaughtShare"), 100 * r.number("trustic", "spamCaughtShare"),
                    caught / Math.max(1e-9, r.number("scbl", "spamCaughtShare")),
                    r.number("trustbl", "bigProvidersListed"),
                    r.number("trustbl", "attackTargetsListed"), r.number("scbl", "attackTargetsListed"),
                    r.number("trustic", "attackTargetsListed"),
                    r.failedChecks().isEmpty() ? "pass" : "FAIL");
            events += r.events();
            seconds += r.events() / Math.max(1, r.trustblEventsPerSecond());
        }
        System.out.println();
        boolean ok = results.stream().allMatch(r -> r.failedChecks().isEmpty());
        System.out.println("checks (no big provider listed, false listings <= 1/10 of both baselines, spam caught >= scbl, "
                + "attack targets listed <= 10% (sybil: none), shield attacks cost < 5%, honest reporters of spam never struck): "
                + (ok ? "all pass" : "FAILED"));
        System.out.printf(Locale.ROOT, "trustbl engine throughput: %,.0f events/s over %,d events (goal >= 1,000,000 events/s)%n",
                seconds == 0 ? 0 : events / seconds, events);
    }

    /** TrustBL's false listings as a fraction of a baseline's ("1/37"), "0 = 0" when both are zero. */
    private static String share(double ours, double theirs) {
        if (theirs == 0) {
            return ours == 0 ? "0 = 0" : "worse";
        }
        if (ours == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "1/%.0f", theirs / ours);
    }
}
