package net.trustbl.engine.simulate;

import net.trustbl.address.IpBlock;
import net.trustbl.engine.Decision;
import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.Explanation;
import net.trustbl.engine.MemberTrust;
import net.trustbl.engine.TrustEngine;
import net.trustbl.engine.Verdict;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why TrustBL listed what it listed, and why not (`ops/bench/simulate --trace WORLD`): runs one
 * world through the engine and the scbl rule, each with its own moderator as in {@link Simulation},
 * and prints the spam messages scbl caught that TrustBL did not, grouped by the engine's first
 * hold reason, then the timelines of the sources with the largest gaps: every report with its
 * reporter's kind, trust, age and confirmations at that moment, lookups, trap hits and the
 * engine's decisions. With {@code attacked}, the timelines of the legitimate senders TrustBL
 * listed instead (attack targets, careless members' slips). A diagnostic for choosing rules on
 * the sweep's failing worlds; it scores nothing.
 */
final class ListingTrace {

    /** Timeline lines kept per address (a busy address draws thousands of lookups). */
    private static final int MAX_LINES = 400;

    private final EngineConfig config;

    ListingTrace(EngineConfig config) {
        this.config = config;
    }

    void print(Scenario scenario, int shown, boolean attacked, PrintStream out) {
        GeneratedRun run = new StreamGenerator(scenario).generate();
        TrustBlModel trustbl = new TrustBlModel(config, run.honestSpamReports);
        TrustEngine engine = trustbl.engine();
        ScblModel scbl = new ScblModel();
        Timelines lines = new Timelines(run);
        trustbl.listen(d -> lines.decision(d, d instanceof Decision.HeldForModeration h && !engine.isListed(h.ip())));
        int n = run.instances.length;
        long[] ourSpam = new long[n];
        long[] scblSpam = new long[n];
        int[] ourFirst = new int[n];
        int[] scblFirst = new int[n];
        Arrays.fill(ourFirst, -1);
        Arrays.fill(scblFirst, -1);
        long allSpam = 0;
        Moderator ourModerator = new Moderator(scenario.moderation);
        Moderator scblModerator = new Moderator(scenario.moderation);
        for (int k = 0; k < run.steps; k++) {
            long t = run.stepTime(k);
            lines.now = t;
            ourModerator.deliverDue(t, trustbl);
            scblModerator.deliverDue(t, scbl);
            for (SenderInstance in : run.instances) {
                if (in.startStep <= k && k < in.endStep) {
                    ourFirst[in.id] = seen(trustbl, ourModerator, in, k, t, ourFirst[in.id]);
                    scblFirst[in.id] = seen(scbl, scblModerator, in, k, t, scblFirst[in.id]);
                }
            }
            int[] senders = run.senders[k];
            for (int i = 0; i < senders.length && k >= run.warmupSteps; i++) { // scored as Scoreboard scores it
                SenderInstance in = run.instances[senders[i]];
                if (in.type.isSpam()) {
                    int spam = run.spamMessages[k][i];
                    allSpam += spam;
                    ourSpam[in.id] += trustbl.isListed(in.ip) ? spam : 0;
                    scblSpam[in.id] += scbl.isListed(in.ip) ? spam : 0;
                }
            }
            for (int i = run.stepStart[k]; i < run.stepStart[k + 1]; i++) {
                lines.event(run.events[i], engine);
                trustbl.apply(run.events[i]);
                lines.scored(run.events[i], engine, t);
                scbl.apply(run.events[i]);
            }
            review(run, trustbl, ourModerator, t);
            review(run, scbl, scblModerator, t);
        }
        long ours = 0;
        long theirs = 0;
        Map<String, long[]> gaps = new TreeMap<>();
        List<SenderInstance> behind = new ArrayList<>();
        for (SenderInstance in : run.instances) {
            if (!in.type.isSpam()) {
                continue;
            }
            ours += ourSpam[in.id];
            theirs += scblSpam[in.id];
            long gap = scblSpam[in.id] - ourSpam[in.id];
            if (gap > 0) {
                long[] g = gaps.computeIfAbsent((ourFirst[in.id] < 0 ? "never " : "late ") + in.type + ": "
                        + lines.firstHold.getOrDefault(in.ip, "no hold"), x -> new long[2]);
                g[0] += gap;
                g[1]++;
                behind.add(in);
            }
        }
        out.printf(Locale.ROOT, "%s: of %,d spam messages after the warm-up, sent while listed: trustbl %,d, scbl %,d%n",
                scenario.name, allSpam, ours, theirs);
        out.println("spam scbl caught and trustbl did not, by trustbl's first hold on the address (messages, addresses):");
        gaps.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> out.printf(Locale.ROOT, "  %,10d %5d  %s%n", e.getValue()[0], e.getValue()[1], e.getKey()));
        if (attacked) {
            for (SenderInstance in : run.instances) {
                if (in.legitimate() && ourFirst[in.id] >= 0) {
                    out.printf(Locale.ROOT, "%nlegitimate %s (group %d, steps %d-%d): trustbl listed it %s, scbl %s%n",
                            in.ip, in.group, in.startStep, in.endStep, atStep(ourFirst[in.id]), atStep(scblFirst[in.id]));
                    lines.print(in.ip, out);
                }
            }
            return;
        }
        behind.sort((a, b) -> Long.compare(scblSpam[b.id] - ourSpam[b.id], scblSpam[a.id] - ourSpam[a.id]));
        for (SenderInstance in : behind.subList(0, Math.min(shown, behind.size()))) {
            out.printf(Locale.ROOT, "%n%s %s (group %d, steps %d-%d): trustbl first listed %s (%,d spam messages while listed),"
                            + " scbl %s (%,d)%n", in.type, in.ip, in.group, in.startStep, in.endStep,
                    atStep(ourFirst[in.id]), ourSpam[in.id], atStep(scblFirst[in.id]), scblSpam[in.id]);
            lines.print(in.ip, out);
        }
    }

    private static String atStep(int step) {
        return step < 0 ? "never" : "at step " + step;
    }

    /** Asks for delisting a listed sender, as Simulation does; returns its first listed step. */
    private static int seen(ListingModel model, Moderator moderator, SenderInstance in, int k, long t, int first) {
        if (!model.isListed(in.ip)) {
            return first;
        }
        moderator.seenListed(in, t, model);
        return first < 0 ? k : first;
    }

    /** A moderator reviews what a model held, as in Simulation (legitimate senders' holds are dismissed). */
    private static void review(GeneratedRun run, ListingModel model, Moderator moderator, long t) {
        for (IpBlock held : model.drainHeld()) {
            SenderInstance in = run.byIp.get(held);
            if (in != null && !in.legitimate()) {
                moderator.holdReviewed(held, t);
            } else if (in != null && Simulation.sendsNoSpam(run, in)) {
                moderator.holdDismissed(held, t);
            }
        }
    }

    /** Each address's timeline, as lines, with the engine's first hold reason while it was unlisted. */
    private static final class Timelines {
        private final GeneratedRun run;
        private final long[] groupEnds;
        private final Map<IpBlock, List<String>> lines = new HashMap<>();
        private final Map<IpBlock, LookupRun> lookupRuns = new HashMap<>();
        final Map<IpBlock, String> firstHold = new HashMap<>();
        long now;
        /** The timeline and line of the spam report just added (event), for scored; null when none was. */
        private List<String> reportLines;
        private int reportLine;

        Timelines(GeneratedRun run) {
            this.run = run;
            List<Scenario.MemberGroup> groups = run.scenario.members;
            groupEnds = new long[groups.size()];
            long next = 1; // StreamGenerator numbers the members group by group from 1, attack accounts after them
            for (int g = 0; g < groups.size(); g++) {
                next += groups.get(g).count;
                groupEnds[g] = next;
            }
        }

        private String hours() {
            return String.format(Locale.ROOT, "%7.1fh", (now - run.startMillis) / 3.6e6);
        }

        /** Adds a line to the address's timeline; returns it, or null when the timeline is full. */
        private List<String> add(IpBlock ip, String line) {
            List<String> l = lines.computeIfAbsent(ip, x -> new ArrayList<>());
            if (l.size() < MAX_LINES) {
                l.add(line);
                return l;
            }
            return null;
        }

        void decision(Decision d, boolean holdOfUnlisted) {
            if (d instanceof Decision.HeldForModeration h) {
                if (holdOfUnlisted) {
                    firstHold.putIfAbsent(h.ip(), h.reason().length() > 70 ? h.reason().substring(0, 70) + "..." : h.reason());
                }
                add(h.ip(), hours() + " held: " + h.reason());
            } else if (d instanceof Decision.ListingChanged c) {
                add(c.ip(), hours() + " " + c.change().toString().toLowerCase(Locale.ROOT) + ": " + c.reason());
            }
        }

        void event(EngineEvent e, TrustEngine engine) {
            if (e instanceof EngineEvent.ReportFiled r && r.verdict() == Verdict.SPAM) {
                MemberTrust m = engine.member(r.memberId());
                reportLines = add(r.target(), m == null
                        ? String.format(Locale.ROOT, "%s report by m%d (%s), not yet known to the engine", hours(), r.memberId(), kind(r.memberId()))
                        : String.format(Locale.ROOT, "%s report by m%d (%s): trust %.3f, %.0f days old, %d confirmed, %d strikes, %s",
                        hours(), r.memberId(), kind(r.memberId()), m.trust(), (now - m.joinedAtMillis()) / 8.64e7,
                        m.confirmedReports(), m.strikes(), engine.standing(r.memberId(), now)));
                reportLine = reportLines == null ? -1 : reportLines.size() - 1;
            } else if (e instanceof EngineEvent.TrapHit h) {
                add(h.ip(), hours() + " trap hits: " + h.hits());
            } else if (e instanceof EngineEvent.TrafficObserved o) {
                lookups(o.ip(), o.lookups());
            }
        }

        /**
         * After a spam report: the score it left and the bar, on the report's own line while that is
         * still the last one (a decision it led to follows it otherwise), so a report that weighed nothing shows.
         */
        void scored(EngineEvent e, TrustEngine engine, long t) {
            if (e instanceof EngineEvent.ReportFiled r && r.verdict() == Verdict.SPAM
                    && reportLines != null && reportLine == reportLines.size() - 1) {
                Explanation x = engine.explain(r.target(), t);
                reportLines.set(reportLine, reportLines.get(reportLine)
                        + String.format(Locale.ROOT, " -> score %.2f of bar %.2f", x.score(), x.bar()));
            }
            reportLines = null;
        }

        /** Lookup counts in a row are summed into one line: "lookups: N (through T)". */
        private void lookups(IpBlock ip, long count) {
            List<String> l = lines.computeIfAbsent(ip, x -> new ArrayList<>());
            LookupRun run = lookupRuns.get(ip);
            if (run != null && run.line == l.size() - 1) {
                run.sum += count;
                l.set(run.line, run.since + " lookups: " + run.sum + " (through " + hours().trim() + ")");
            } else if (l.size() < MAX_LINES) {
                lookupRuns.put(ip, new LookupRun(l.size(), hours(), count));
                l.add(hours() + " lookups: " + count);
            }
        }

        /** The address's latest lookups line: its index, first time and running sum. */
        private static final class LookupRun {
            final int line;
            final String since;
            long sum;

            LookupRun(int line, String since, long sum) {
                this.line = line;
                this.since = since;
                this.sum = sum;
            }
        }

        private String kind(long memberId) {
            for (int g = 0; g < groupEnds.length; g++) {
                if (memberId < groupEnds[g]) {
                    return run.scenario.members.get(g).kind.toString();
                }
            }
            return "attack account";
        }

        void print(IpBlock ip, PrintStream out) {
            for (String line : lines.getOrDefault(ip, List.of())) {
                out.println(line);
            }
        }
    }
}
