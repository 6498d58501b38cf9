package net.trustbl.journal;

import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lookup counts rolled up per address per interval ({@code trustbl.journal.traffic-interval}),
 * so that the journal (and every replay) holds one traffic event per address per interval
 * instead of one per address per minute. The first count of an address not seen in this or the
 * previous interval passes at once: a new sender shows in the engine within a minute (the
 * new-sender rule and the lower bar for unproven senders need exactly that), while a busy
 * sender's steady counts wait for the end of the interval. A new address's later counts, in
 * the interval of its first sight and the next, come out at each of the shorter new-address
 * steps ({@link #endNewAddressStep()}, every {@code trustbl.journal.new-address-traffic-interval}):
 * a new sender's early reports are judged against its lookups (README "How listing works", rule
 * 4, reports must fit the mail), and a spam run's first hour of lookups waiting for the interval's
 * end held its first reports for a moderator up to an hour while scbl listed on them (README,
 * *A new address's lookups every 10 minutes*). Totals are never
 * changed: every count offered comes out once, early or at the interval's end. Not thread-safe by
 * itself ({@link RolledUpTraffic} serializes calls); no clock inside, the caller ends intervals
 * and steps.
 */
final class TrafficRollup {

    /** Addresses waiting at most; beyond, new addresses pass at once rather than grow the map. */
    static final int MAX_PENDING = 1_000_000;

    private Map<IpBlock, long[]> pending = new LinkedHashMap<>();
    private Set<IpBlock> seenNow = new HashSet<>();
    private Set<IpBlock> seenBefore = new HashSet<>();
    /** Addresses first seen (not seen in the interval before) in this interval, and in the previous one. */
    private Set<IpBlock> newNow = new HashSet<>();
    private Set<IpBlock> newBefore = new HashSet<>();

    /** Takes counts; returns those to journal now (addresses new to this interval and the last). */
    List<EngineEvent.TrafficObserved> add(Map<IpBlock, Long> counts) {
        List<EngineEvent.TrafficObserved> now = new ArrayList<>();
        for (Map.Entry<IpBlock, Long> c : counts.entrySet()) {
            IpBlock ip = c.getKey();
            long n = c.getValue();
            if (n <= 0) {
                continue;
            }
            boolean known = seenNow.contains(ip) || seenBefore.contains(ip);
            if (!known) {
                newNow.add(ip);
            }
            long[] waiting = pending.get(ip);
            if (waiting != null) {
                waiting[0] += n;
            } else if (!known || pending.size() >= MAX_PENDING) {
                now.add(new EngineEvent.TrafficObserved(ip, n, 0));
            } else {
                pending.put(ip, new long[] {n});
            }
            seenNow.add(ip);
        }
        return now;
    }

    /** Ends the interval: returns the counts held during it (one event per address) and starts the next. */
    List<EngineEvent.TrafficObserved> endInterval() {
        List<EngineEvent.TrafficObserved> out = new ArrayList<>(pending.size());
        for (Map.Entry<IpBlock, long[]> p : pending.entrySet()) {
            out.add(new EngineEvent.TrafficObserved(p.getKey(), p.getValue()[0], 0));
        }
        pending = new LinkedHashMap<>();
        seenBefore = seenNow;
        seenNow = new HashSet<>();
        newBefore = newNow;
        newNow = new HashSet<>();
        return out;
    }

    /**
     * Ends a new-address step: returns the counts held for addresses first seen in this interval
     * or the previous one (one event per address), which then wait for the next step; every other
     * address's counts keep waiting for the interval's end.
     */
    List<EngineEvent.TrafficObserved> endNewAddressStep() {
        List<EngineEvent.TrafficObserved> out = new ArrayList<>();
        takeNew(newBefore, out);
        takeNew(newNow, out);
        return out;
    }

    private void takeNew(Set<IpBlock> addresses, List<EngineEvent.TrafficObserved> out) {
        for (IpBlock ip : addresses) {
            long[] waiting = pending.remove(ip);
            if (waiting != null) {
                out.add(new EngineEvent.TrafficObserved(ip, waiting[0], 0));
            }
        }
    }

    /**
     * Counts that could not be journaled wait for the next interval (totals stay whole), up to
     * {@link #MAX_PENDING} addresses: a database down for hours must not exhaust the memory.
     */
    void putBack(List<EngineEvent.TrafficObserved> counts) {
        for (EngineEvent.TrafficObserved t : counts) {
            long[] waiting = pending.get(t.ip());
            if (waiting != null) {
                waiting[0] += t.lookups();
            } else if (pending.size() < MAX_PENDING) {
                pending.put(t.ip(), new long[] {t.lookups()});
            }
            seenNow.add(t.ip());
        }
    }

    /** Addresses whose counts wait for the end of the interval. */
    int pendingAddresses() {
        return pending.size();
    }
}
