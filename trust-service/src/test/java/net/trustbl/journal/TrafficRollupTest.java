package net.trustbl.journal;

import net.trustbl.engine.Decision;
import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.Explanation;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.TrustEngine;
import net.trustbl.engine.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Traffic rolled up per address per interval (issue 14): the journal gets a small fraction of
 * the events, every lookup is still counted, and the engine decides the same as when it saw one
 * event per address per minute.
 */
class TrafficRollupTest {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = EngineConfig.HOUR;
    private static final long DAY = EngineConfig.DAY;
    private static final long START = 1_790_000_000_000L;

    private static final IpBlock BUSY = IpBlock.parse("45.1.0.1");
    private static final IpBlock QUIET = IpBlock.parse("45.2.0.1");
    private static final IpBlock NEW_SENDER = IpBlock.parse("45.3.0.1");
    private static final IpBlock MIDDLING = IpBlock.parse("45.4.0.1");

    @Test
    void everyLookupIsCountedOnceInFarFewerEvents() {
        TrafficRollup rollup = new TrafficRollup();
        SplittableRandom rnd = new SplittableRandom(7);
        Map<IpBlock, Long> offered = new HashMap<>();
        Map<IpBlock, Long> journaled = new HashMap<>();
        Map<IpBlock, Integer> eventsThisHour = new HashMap<>();
        long minutes = 6 * 60;
        long in = 0;
        long out = 0;
        Set<IpBlock> seenThisHour = new HashSet<>();
        Set<IpBlock> seenLastHour = new HashSet<>();
        Set<IpBlock> seenHourBefore = new HashSet<>();
        for (long m = 0; m < minutes; m++) {
            if (m % 60 == 0) {
                out += journal(rollup.endInterval(), journaled, eventsThisHour);
                eventsThisHour.clear();
                seenHourBefore = seenLastHour;
                seenLastHour = seenThisHour;
                seenThisHour = new HashSet<>();
            } else if (m % 10 == 0) {
                out += journal(rollup.endNewAddressStep(), journaled, eventsThisHour);
            }
            Map<IpBlock, Long> minute = new LinkedHashMap<>();
            for (int i = 0; i < 300; i++) {
                if (i < 100 || rnd.nextInt(20) == 0) { // 100 steady senders, 200 now and then
                    IpBlock ip = IpBlock.ofV4(0x2d000000 + i, 32);
                    long n = 1 + rnd.nextInt(50);
                    minute.put(ip, n);
                    seenThisHour.add(ip);
                    offered.merge(ip, n, Long::sum);
                    in++;
                }
            }
            out += journal(rollup.add(minute), journaled, eventsThisHour);
            Set<IpBlock> last = seenLastHour;
            Set<IpBlock> beforeLast = seenHourBefore;
            eventsThisHour.forEach((ip, n) -> assertTrue(n <= (last.contains(ip) && beforeLast.contains(ip) ? 1 : 7),
                    ip + ": " + n + " events in an interval: a steady address 1 (its interval's end), an address new in this"
                            + " interval or the last at most 7 (its first sight and 6 steps)"));
        }
        out += journal(rollup.endInterval(), journaled, eventsThisHour);
        assertEquals(offered, journaled, "every lookup counted once");
        assertTrue(out * 10 < in, "rolled up: " + out + " events for " + in + " per-minute counts");
    }

    @Test
    void theVolumeRuleDecidesTheSameOnRolledUpCounts() {
        TrustEngine perMinute = new TrustEngine(EngineConfig.defaults());
        TrustEngine rolledUp = new TrustEngine(EngineConfig.defaults());
        List<String> decisionsPerMinute = new ArrayList<>();
        List<String> decisionsRolledUp = new ArrayList<>();
        for (EngineEvent e : members()) {
            perMinute.apply(e, d -> decisionsPerMinute.add(describe(d)));
            rolledUp.apply(e, d -> decisionsRolledUp.add(describe(d)));
        }
        TrafficRollup rollup = new TrafficRollup();
        long end = START + 12 * DAY;
        long reportId = 0;
        for (long t = START; t < end; t += MINUTE) {
            if ((t - START) % HOUR == 0) {
                for (EngineEvent.TrafficObserved c : rollup.endInterval()) {
                    rolledUp.apply(at(c, t), d -> decisionsRolledUp.add(describe(d)));
                }
            } else if ((t - START) % (10 * MINUTE) == 0) {
                for (EngineEvent.TrafficObserved c : rollup.endNewAddressStep()) {
                    rolledUp.apply(at(c, t), d -> decisionsRolledUp.add(describe(d)));
                }
            }
            Map<IpBlock, Long> minute = lookups(t);
            for (Map.Entry<IpBlock, Long> c : minute.entrySet()) {
                perMinute.apply(new EngineEvent.TrafficObserved(c.getKey(), c.getValue(), t), d -> decisionsPerMinute.add(describe(d)));
            }
            for (EngineEvent.TrafficObserved c : rollup.add(minute)) {
                rolledUp.apply(at(c, t), d -> decisionsRolledUp.add(describe(d)));
            }
            for (EngineEvent r : reports(t, reportId)) {
                reportId++;
                perMinute.apply(r, d -> decisionsPerMinute.add(describe(d)));
                rolledUp.apply(r, d -> decisionsRolledUp.add(describe(d)));
            }
        }
        for (EngineEvent.TrafficObserved c : rollup.endInterval()) { // the last interval's counts arrive at its end
            rolledUp.apply(at(c, end), d -> decisionsRolledUp.add(describe(d)));
        }
        assertEquals(decisionsPerMinute, decisionsRolledUp, "the same listings and holds, in the same order");
        Explanation busy = perMinute.explain(BUSY, end);
        assertTrue(busy.heldForModeration() && !busy.listed(), "the busy sender is held, not listed: " + busy);
        assertTrue(perMinute.explain(NEW_SENDER, end).listed(), "the new sender is listed on one report");
        for (IpBlock ip : List.of(BUSY, QUIET, NEW_SENDER, MIDDLING)) {
            Explanation a = perMinute.explain(ip, end);
            Explanation b = rolledUp.explain(ip, end);
            assertEquals(a.listed(), b.listed(), ip + " listed");
            assertEquals(a.heldForModeration(), b.heldForModeration(), ip + " held");
            assertEquals(a.bar(), b.bar(), a.bar() * 0.02, ip + ": the bar within 2 % (counts arrive up to an interval later)");
            assertEquals(a.lookups(), b.lookups(), Math.max(2, a.lookups() * 0.01), ip + ": recent lookups within 1 % (decay)");
        }
        assertFalse(decisionsPerMinute.isEmpty());
    }

    @Test
    void aNewAddressesCountsComeOutEveryStepInItsFirstTwoIntervalsOnly() {
        TrafficRollup rollup = new TrafficRollup();
        IpBlock known = IpBlock.parse("45.5.0.1");
        IpBlock fresh = IpBlock.parse("45.6.0.1");
        for (int interval = 0; interval < 2; interval++) { // known was seen in the two intervals before
            rollup.add(Map.of(known, 1L));
            rollup.endInterval();
        }
        List<Long> freshPerStep = new ArrayList<>();
        for (int interval = 0; interval < 3; interval++) {
            for (int step = 0; step < 6; step++) {
                for (int minute = 0; minute < 10; minute++) {
                    Map<IpBlock, Long> counts = new LinkedHashMap<>();
                    counts.put(known, 2L);
                    counts.put(fresh, 3L);
                    for (EngineEvent.TrafficObserved now : rollup.add(counts)) {
                        assertEquals(fresh, now.ip(), "only the new address's first sight passes at once");
                        assertEquals(3L, now.lookups());
                    }
                }
                List<EngineEvent.TrafficObserved> stepped = step == 5 ? rollup.endInterval() : rollup.endNewAddressStep();
                long freshOut = 0;
                for (EngineEvent.TrafficObserved c : stepped) {
                    if (c.ip().equals(fresh)) {
                        freshOut += c.lookups();
                    } else {
                        assertEquals(5, step, "a known address's counts come out at the interval's end only");
                        assertEquals(known, c.ip());
                        assertEquals(2L * 60, c.lookups(), "the whole interval's counts of the known address");
                    }
                }
                freshPerStep.add(freshOut);
            }
        }
        // first step: 9 minutes after the first sight; then 10 minutes a step through two intervals;
        // in the third interval the new address is known and waits for the interval's end
        assertEquals(List.of(27L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 30L, 0L, 0L, 0L, 0L, 0L, 180L),
                freshPerStep);
    }

    private static long journal(List<EngineEvent.TrafficObserved> events, Map<IpBlock, Long> journaled,
                                Map<IpBlock, Integer> perAddress) {
        for (EngineEvent.TrafficObserved e : events) {
            journaled.merge(e.ip(), e.lookups(), Long::sum);
            perAddress.merge(e.ip(), 1, Integer::sum);
        }
        return events.size();
    }

    private static List<EngineEvent> members() {
        List<EngineEvent> events = new ArrayList<>();
        for (long m = 1; m <= 4; m++) {
            events.add(new EngineEvent.MemberJoined(m, START - 60 * DAY));
            events.add(new EngineEvent.TrustPinned(m, 0.8, START - 59 * DAY));
        }
        return events;
    }

    /** A busy shared sender all along, a quiet one, a middling one, and a new sender from day 11. */
    private static Map<IpBlock, Long> lookups(long t) {
        Map<IpBlock, Long> minute = new LinkedHashMap<>();
        long m = (t - START) / MINUTE;
        minute.put(BUSY, 1_500 + m % 7);
        if (m % 10 == 0) {
            minute.put(QUIET, 1L);
        }
        minute.put(MIDDLING, 20 + m % 3);
        if (t >= START + 11 * DAY) {
            minute.put(NEW_SENDER, 3L);
        }
        return minute;
    }

    /** Day 11, 30 minutes after the new sender's first lookups: members report all four. */
    private static List<EngineEvent> reports(long t, long lastId) {
        long at = START + 11 * DAY + 30 * MINUTE;
        if (t != at) {
            return List.of();
        }
        List<EngineEvent> reports = new ArrayList<>();
        long id = lastId;
        for (long member = 1; member <= 3; member++) {
            reports.add(new EngineEvent.ReportFiled(++id, member, BUSY, Verdict.SPAM, 1.0, t));
            reports.add(new EngineEvent.ReportFiled(++id, member, MIDDLING, Verdict.SPAM, 1.0, t));
        }
        reports.add(new EngineEvent.ReportFiled(++id, 4, NEW_SENDER, Verdict.SPAM, 1.0, t));
        reports.add(new EngineEvent.ReportFiled(++id, 4, QUIET, Verdict.SPAM, 1.0, t));
        return reports;
    }

    private static EngineEvent.TrafficObserved at(EngineEvent.TrafficObserved c, long t) {
        return new EngineEvent.TrafficObserved(c.ip(), c.lookups(), t); // the journal stamps its own clock
    }

    /** A decision and its time, without its numbers (a rolled-up count moves the score's decimals, not the outcome). */
    private static String describe(Decision d) {
        if (d instanceof Decision.ListingChanged l) {
            return "listing " + l.ip() + " " + l.change() + " " + l.returnCode() + " at " + l.atMillis();
        }
        if (d instanceof Decision.HeldForModeration h) {
            return "held " + h.ip() + " at " + h.atMillis();
        }
        return d.getClass().getSimpleName();
    }
}
