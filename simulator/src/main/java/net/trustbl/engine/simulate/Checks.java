package net.trustbl.engine.simulate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The acceptance rules of a world (issues 3 and 11), each with a stable name so that the sweep can
 * report, per rule, the share of worlds that pass it. A rule that does not apply to a world (no
 * attack of its kind) is absent from that world's map.
 */
final class Checks {

    /** Share of an attack's legitimate targets that may be listed (sybil floods: none). */
    static final double MAX_TARGETS_LISTED = 0.10;
    /** The recall check's name (issue 11): at least as much spam caught as by the SCBL rule. */
    static final String SPAM_CAUGHT = "spam caught >= scbl";
    /** Shielding attacks may lower spam caught by less than this share of what it is without them. */
    static final double MAX_SHIELD_LOSS = 0.05;

    private Checks() {
    }

    /** Rule name → null when it holds, else why it failed; in a fixed order. */
    static Map<String, String> judge(Scenario scenario, Map<String, Map<String, Object>> engines) {
        Map<String, String> out = new LinkedHashMap<>();
        double fl = num(engines, "trustbl", "falseListingSenderHours");
        for (String baseline : new String[] {"scbl", "trustic"}) {
            double b = num(engines, baseline, "falseListingSenderHours");
            boolean ok = b == 0 ? fl == 0 : fl <= b / 10;
            out.put("false listings <= 1/10 of " + baseline, ok ? null
                    : String.format(Locale.ROOT, "false listings %.1f h not <= 1/10 of %s's %.1f h", fl, baseline, b));
        }
        double caught = num(engines, "trustbl", "spamCaughtShare");
        double scbl = num(engines, "scbl", "spamCaughtShare");
        out.put(SPAM_CAUGHT, caught >= scbl ? null
                : String.format(Locale.ROOT, "spam caught %.4f < scbl's %.4f", caught, scbl));
        out.put("no big provider listed", num(engines, "trustbl", "bigProvidersListed") == 0 ? null : "a big provider was listed");
        out.put("honest reporters of spam never struck", num(engines, "trustbl", "honestReportsClearedOnSpam") == 0 ? null
                : "honest spam reports on real spam sources were cleared: "
                + Math.round(num(engines, "trustbl", "honestReportsClearedOnSpam")));
        attackRules(scenario, engines, out);
        Object control = engines.get("trustbl").get("spamCaughtWithoutShieldAttacks");
        if (control instanceof Number without) {
            double loss = without.doubleValue() <= 0 ? 0 : 1 - caught / without.doubleValue();
            out.put("shield attacks cost < 5% of spam caught", loss < MAX_SHIELD_LOSS ? null
                    : String.format(Locale.ROOT, "shield attacks lowered spam caught from %.4f to %.4f (%.1f%%)",
                    without.doubleValue(), caught, 100 * loss));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void attackRules(Scenario scenario, Map<String, Map<String, Object>> engines, Map<String, String> out) {
        Map<String, Object> attacks = (Map<String, Object>) engines.get("trustbl").get("attacks");
        Map<Scenario.AttackKind, int[]> byKind = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : attacks.entrySet()) {
            Map<String, Object> a = (Map<String, Object>) e.getValue();
            Scenario.AttackKind kind = Scenario.AttackKind.valueOf((String) a.get("kind"));
            if (!kind.targetsLegitimateSenders()) {
                continue;
            }
            int[] sums = byKind.computeIfAbsent(kind, k -> new int[2]);
            sums[0] += ((Number) a.get("targets")).intValue();
            sums[1] += ((Number) a.get("targetsListed")).intValue();
        }
        for (Map.Entry<Scenario.AttackKind, int[]> e : byKind.entrySet()) {
            int targets = e.getValue()[0];
            int listed = e.getValue()[1];
            if (targets == 0) {
                continue;
            }
            String label = e.getKey().label();
            if (e.getKey() == Scenario.AttackKind.sybil) {
                out.put("sybil lists nobody", listed == 0 ? null : "the sybil flood listed " + listed + " legitimate senders");
            } else {
                out.put(label + " targets listed <= 10%", listed <= MAX_TARGETS_LISTED * targets ? null
                        : label + " listed " + listed + " of " + targets + " targets");
            }
        }
    }

    private static double num(Map<String, Map<String, Object>> engines, String engine, String field) {
        Object v = engines.get(engine).get(field);
        return v == null ? 0 : ((Number) v).doubleValue();
    }
}
