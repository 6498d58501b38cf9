package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;

import java.util.HashMap;

/**
 * Baseline: SpamCop's published SCBL rule. Every report counts the same whoever files it (no
 * trust): a fresh report weighs 4, falling linearly to 1 at 48 h; reports older than a week are
 * ignored; each spam-trap hit weighs 5. An address is listed when that score reaches
 * max(2, lookups in the last 7 days / 1,000) — the volume-relative threshold ("each lookup not
 * followed by a report is a reputation point for the host"). A listing expires 24 h after the
 * last report or trap hit. SpamCop does not delist on request: delisting decisions are ignored.
 */
final class ScblModel implements ListingModel {

    static final double MIN_SCORE = 2.0;
    static final double LOOKUPS_PER_POINT = 1_000;
    static final double TRAP_WEIGHT = 5;
    static final long FRESH = 48 * EngineConfig.HOUR;
    static final long WINDOW = 7 * EngineConfig.DAY;
    static final long TTL = 24 * EngineConfig.HOUR;

    private static final class Host {
        long[] times = new long[4];
        float[] weights = new float[4]; // 1 for a report, TRAP_WEIGHT × hits for traps (no decay)
        boolean[] trap = new boolean[4];
        int size;
        /** Lookups per day, ring of 8 days. */
        final long[] lookupsByDay = new long[8];
        final long[] dayOf = new long[8];
        long listedUntil;

        void add(long at, float w, boolean isTrap) {
            if (size > 0 && at - times[0] > WINDOW) {
                int drop = 0;
                while (drop < size && at - times[drop] > WINDOW) {
                    drop++;
                }
                System.arraycopy(times, drop, times, 0, size - drop);
                System.arraycopy(weights, drop, weights, 0, size - drop);
                System.arraycopy(trap, drop, trap, 0, size - drop);
                size -= drop;
            }
            if (size == times.length) {
                times = java.util.Arrays.copyOf(times, size * 2);
                weights = java.util.Arrays.copyOf(weights, size * 2);
                trap = java.util.Arrays.copyOf(trap, size * 2);
            }
            times[size] = at;
            weights[size] = w;
            trap[size] = isTrap;
            size++;
        }

        double score(long now) {
            double sum = 0;
            for (int i = 0; i < size; i++) {
                long age = now - times[i];
                if (age > WINDOW) {
                    continue;
                }
                if (trap[i]) {
                    sum += weights[i];
                } else {
                    sum += age >= FRESH ? 1.0 : 4.0 - 3.0 * age / FRESH;
                }
            }
            return sum;
        }

        void lookups(long at, long n) {
            long day = Math.floorDiv(at, EngineConfig.DAY);
            int slot = (int) Math.floorMod(day, 8L);
            if (dayOf[slot] != day) {
                dayOf[slot] = day;
                lookupsByDay[slot] = 0;
            }
            lookupsByDay[slot] += n;
        }

        long lookupsLastWeek(long at) {
            long day = Math.floorDiv(at, EngineConfig.DAY);
            long sum = 0;
            for (int i = 0; i < 8; i++) {
                if (day - dayOf[i] < 7 && day >= dayOf[i]) {
                    sum += lookupsByDay[i];
                }
            }
            return sum;
        }
    }

    private final HashMap<IpBlock, Host> hosts = new HashMap<>();
    private long now;

    @Override
    public String name() {
        return "scbl";
    }

    @Override
    public void apply(EngineEvent event) {
        now = Math.max(now, event.atMillis());
        if (event instanceof EngineEvent.TrafficObserved e) {
            hosts.computeIfAbsent(e.ip(), k -> new Host()).lookups(now, e.lookups());
        } else if (event instanceof EngineEvent.ReportFiled e) {
            if (e.verdict() == net.trustbl.engine.Verdict.SPAM) {
                evidence(e.target(), 1, false);
            }
        } else if (event instanceof EngineEvent.TrapHit e) {
            evidence(e.ip(), (float) (TRAP_WEIGHT * e.hits()), true);
        }
        // positive reports, delisting requests, trust pins, suspensions: not part of the SCBL rule
    }

    private void evidence(IpBlock ip, float weight, boolean trap) {
        Host h = hosts.computeIfAbsent(ip, k -> new Host());
        h.add(now, weight, trap);
        if (h.listedUntil > now) {
            h.listedUntil = now + TTL; // any new report renews
            return;
        }
        double threshold = Math.max(MIN_SCORE, h.lookupsLastWeek(now) / LOOKUPS_PER_POINT);
        if (h.score(now) >= threshold) {
            h.listedUntil = now + TTL;
        }
    }

    @Override
    public boolean isListed(IpBlock ip) {
        Host h = hosts.get(ip);
        return h != null && h.listedUntil > now;
    }
}
