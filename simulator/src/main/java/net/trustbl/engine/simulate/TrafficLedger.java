package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineEvent;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The lookups receivers make about each sender, turned into TrafficObserved events as the live
 * service rolls them up: whole lookups only (fractions carry over), a sender's first sight at
 * once ({@link FirstSightTraffic}), the rest at the end of each traffic interval.
 */
final class TrafficLedger {

    private final double lookupsPerMessage;
    private final List<EngineEvent> events;
    private final double[] pending;
    private final Set<SenderInstance> due = new HashSet<>();
    private final FirstSightTraffic firstSight;

    TrafficLedger(int senders, double lookupsPerMessage, List<EngineEvent> events) {
        this.lookupsPerMessage = lookupsPerMessage;
        this.events = events;
        this.pending = new double[senders];
        this.firstSight = new FirstSightTraffic(senders);
    }

    /** {@code messages} from this sender reached receivers at {@code at}, each looked up as configured. */
    void sent(SenderInstance in, int messages, long at) {
        pending[in.id] += messages * lookupsPerMessage;
        due.add(in);
        long firstLookups = (long) Math.floor(pending[in.id]);
        if (firstLookups > 0 && firstSight.passesAtOnce(in.id)) {
            pending[in.id] -= firstLookups;
            events.add(new EngineEvent.TrafficObserved(in.ip, firstLookups, at));
        }
    }

    /** The traffic interval ends at {@code at}: the counts it gathered go out, and attacks inflate theirs. */
    void endInterval(List<AttackPlan> plans, long at) {
        if (!due.isEmpty()) {
            // sorted so that the stream does not depend on hash order
            SenderInstance[] senders = due.toArray(new SenderInstance[0]);
            Arrays.sort(senders, (a, b) -> Integer.compare(a.id, b.id));
            for (SenderInstance in : senders) {
                long lookups = (long) Math.floor(pending[in.id]);
                if (lookups > 0) {
                    pending[in.id] -= lookups;
                    events.add(new EngineEvent.TrafficObserved(in.ip, lookups, at));
                }
                for (AttackPlan p : plans) {
                    p.inflate(in, lookups, at);
                }
            }
            due.clear();
        }
        firstSight.endInterval();
    }
}
