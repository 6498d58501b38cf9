package net.trustbl.engine.simulate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one engine did to each sender: listed hours, spam caught, time to list, attack damage. */
final class Scoreboard {

    private final GeneratedRun run;
    private final boolean[] everListed;
    private final boolean[] everListedMeasured;
    private final int[] listedStepsMeasured;
    private final int[] activeStepsMeasured;
    private final int[] firstSpamStep;
    private final int[] firstListedStep;
    private final long[] spamSent;
    private final long[] spamCaught;
    private final boolean[] targetListedDuringAttack;

    Scoreboard(GeneratedRun run) {
        this.run = run;
        int n = run.instances.length;
        everListed = new boolean[n];
        everListedMeasured = new boolean[n];
        listedStepsMeasured = new int[n];
        activeStepsMeasured = new int[n];
        firstSpamStep = new int[n];
        firstListedStep = new int[n];
        Arrays.fill(firstSpamStep, -1);
        Arrays.fill(firstListedStep, -1);
        spamSent = new long[n];
        spamCaught = new long[n];
        targetListedDuringAttack = new boolean[n];
    }

    /** The sender's state during step k (listed or not while it was active). */
    void active(int k, SenderInstance in, boolean listed) {
        boolean measured = k >= run.warmupSteps;
        if (listed) {
            everListed[in.id] = true;
            if (in.attackedBy >= 0 && k >= run.attacks.get(in.attackedBy).startStep()) {
                targetListedDuringAttack[in.id] = true;
            }
            if (firstSpamStep[in.id] >= 0 && firstListedStep[in.id] < 0) {
                firstListedStep[in.id] = k;
            }
        }
        if (measured) {
            activeStepsMeasured[in.id]++;
            if (listed) {
                listedStepsMeasured[in.id]++;
                everListedMeasured[in.id] = true;
            }
        }
    }

    /** Mail the sender sent during step k, and whether it was refused (listed). */
    void sent(int k, SenderInstance in, int spam, boolean listed) {
        if (spam > 0 && firstSpamStep[in.id] < 0) {
            firstSpamStep[in.id] = k;
            if (listed) {
                firstListedStep[in.id] = k;
            }
        }
        if (k >= run.warmupSteps && in.type.isSpam()) {
            spamSent[in.id] += spam;
            if (listed) {
                spamCaught[in.id] += spam;
            }
        }
    }

    /** The per-engine result object (field names are the public contract). */
    Map<String, Object> result() {
        double stepHours = run.stepMillis / 3_600_000.0;
        Map<String, Object> out = new LinkedHashMap<>();
        double falseHours = 0;
        long spamAll = 0;
        long spamHit = 0;
        int bigListed = 0;
        int targetsListed = 0;
        for (SenderInstance in : run.instances) {
            if (in.legitimate()) {
                falseHours += listedStepsMeasured[in.id] * stepHours;
                if (in.type == Scenario.SenderClass.bigProvider && everListed[in.id]) {
                    bigListed++;
                }
                if (targetListedDuringAttack[in.id]) {
                    targetsListed++;
                }
            } else {
                spamAll += spamSent[in.id];
                spamHit += spamCaught[in.id];
            }
        }
        int[] minutes = minutesToList(null);
        out.put("falseListingSenderHours", round(falseHours, 1));
        out.put("spamCaughtShare", round(spamAll == 0 ? 0 : (double) spamHit / spamAll, 4));
        out.put("bigProvidersListed", bigListed);
        out.put("attackTargetsListed", targetsListed);
        out.put("medianMinutesToList", percentile(minutes, 0.5));
        out.put("p90MinutesToList", percentile(minutes, 0.9));
        Map<String, Object> classes = new LinkedHashMap<>();
        for (Scenario.SenderClass c : Scenario.SenderClass.values()) {
            Map<String, Object> cl = classResult(c, stepHours);
            if (cl != null) {
                classes.put(c.name(), cl);
            }
        }
        out.put("classes", classes);
        Map<String, Object> attacks = new LinkedHashMap<>();
        for (int a = 0; a < run.attacks.size(); a++) {
            GeneratedRun.AttackInfo info = run.attacks.get(a);
            int listed = 0;
            for (int id : info.targetInstances()) {
                if (targetListedDuringAttack[id]) {
                    listed++;
                }
            }
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("kind", info.kind().name());
            at.put("targets", info.targetInstances().length);
            at.put("targetsListed", listed);
            attacks.put(info.kind().label() + (a > 0 ? "-" + a : ""), at);
        }
        out.put("attacks", attacks);
        return out;
    }

    private Map<String, Object> classResult(Scenario.SenderClass c, double stepHours) {
        int senders = 0;
        int listed = 0;
        double hours = 0;
        long spamAll = 0;
        long spamHit = 0;
        for (SenderInstance in : run.instances) {
            if (in.type != c || activeStepsMeasured[in.id] == 0) {
                continue;
            }
            senders++;
            if (everListedMeasured[in.id]) {
                listed++;
            }
            hours += listedStepsMeasured[in.id] * stepHours;
            spamAll += spamSent[in.id];
            spamHit += spamCaught[in.id];
        }
        if (senders == 0) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("senders", senders);
        m.put("everListedShare", round((double) listed / senders, 4));
        m.put("listedSenderHours", round(hours, 1));
        if (c.isSpam()) {
            int[] minutes = minutesToList(c);
            m.put("spamCaughtShare", round(spamAll == 0 ? 0 : (double) spamHit / spamAll, 4));
            m.put("medianMinutesToList", percentile(minutes, 0.5));
            m.put("p90MinutesToList", percentile(minutes, 0.9));
        }
        return m;
    }

    /** Minutes from first spam to listing, for spam senders that started after the warm-up and got listed. */
    private int[] minutesToList(Scenario.SenderClass only) {
        int[] out = new int[run.instances.length];
        int n = 0;
        for (SenderInstance in : run.instances) {
            if (!in.type.isSpam() || (only != null && in.type != only)) {
                continue;
            }
            int first = firstSpamStep[in.id];
            int listed = firstListedStep[in.id];
            if (first >= run.warmupSteps && listed >= first) {
                out[n++] = (int) ((listed - first) * run.stepMillis / 60_000L);
            }
        }
        int[] r = Arrays.copyOf(out, n);
        Arrays.sort(r);
        return r;
    }

    private static Object percentile(int[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
