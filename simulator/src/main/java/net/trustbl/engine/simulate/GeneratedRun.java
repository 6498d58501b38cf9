package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;

/**
 * The event stream of one scenario (the same for every engine) plus what the scoreboard needs:
 * which addresses sent how many spam and wanted messages in each step.
 */
final class GeneratedRun {

    record AttackInfo(Scenario.AttackKind kind, int startStep, int[] targetInstances) { }

    final Scenario scenario;
    final long startMillis;
    final long stepMillis;
    final int steps;
    final int warmupSteps;
    final EngineEvent[] events;
    /** events[stepStart[k] .. stepStart[k+1]) happen during step k. */
    final int[] stepStart;
    /** Per step: ids of instances that sent mail, and how much spam / wanted mail each sent. */
    final int[][] senders;
    final int[][] spamMessages;
    final int[][] wantedMessages;
    final SenderInstance[] instances;
    final HashMap<IpBlock, SenderInstance> byIp;
    final List<AttackInfo> attacks;
    /** Indexes into {@link #events} of shielding attacks' events (the control run leaves them out). */
    final BitSet shieldEvents;
    /** Report ids of honest members' spam reports on real spam sources. */
    final BitSet honestSpamReports;
    /**
     * Indexes into {@link #events} of reports filed by attackers' accounts, cover reports on real
     * spam included: the diagnostic baseline leaves them out (scbl on honest reports only).
     */
    final BitSet attackReportEvents;

    GeneratedRun(Scenario scenario, long startMillis, long stepMillis, int steps, int warmupSteps, EngineEvent[] events,
                 int[] stepStart, int[][] senders, int[][] spamMessages, int[][] wantedMessages,
                 SenderInstance[] instances, HashMap<IpBlock, SenderInstance> byIp, List<AttackInfo> attacks,
                 BitSet shieldEvents, BitSet honestSpamReports, BitSet attackReportEvents) {
        this.scenario = scenario;
        this.startMillis = startMillis;
        this.stepMillis = stepMillis;
        this.steps = steps;
        this.warmupSteps = warmupSteps;
        this.events = events;
        this.stepStart = stepStart;
        this.senders = senders;
        this.spamMessages = spamMessages;
        this.wantedMessages = wantedMessages;
        this.instances = instances;
        this.byIp = byIp;
        this.attacks = attacks;
        this.shieldEvents = shieldEvents;
        this.honestSpamReports = honestSpamReports;
        this.attackReportEvents = attackReportEvents;
    }

    long stepTime(int k) {
        return startMillis + k * stepMillis;
    }
}
