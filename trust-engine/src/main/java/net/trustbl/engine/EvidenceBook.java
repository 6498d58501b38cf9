package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Evidence per address or block, the set of current listings, and which block sizes are in use
 * (so that "is this address inside a listed block?" costs one lookup per block size, not a scan).
 */
final class EvidenceBook {

    private final HashMap<IpBlock, IpEvidence> byIp = new HashMap<>(1 << 12);
    /** Current listings in the order they were made (deterministic iteration). */
    private final LinkedHashSet<IpEvidence> listed = new LinkedHashSet<>();
    /** Prefix lengths of blocks (not single addresses) we hold evidence for, per family. */
    private final boolean[] v4Prefixes = new boolean[33];
    private final boolean[] v6Prefixes = new boolean[129];
    private int[] v4InUse = new int[0];
    private int[] v6InUse = new int[0];
    /**
     * Per /24 (IPv4) or /64 (IPv6), for snowshoe escalation: [0] its listed single addresses, [1] how
     * many of those are block witnesses (IpEvidence#blockWitness).
     */
    private final HashMap<IpBlock, int[]> listedPerBlock = new HashMap<>();

    /**
     * When the engine last heard of a lookup of any address (Long.MIN_VALUE: never): tells
     * whether lookups are counted at all, which the first-lookup rule needs (Judgement).
     */
    long lastTrafficAt = Long.MIN_VALUE;

    /** Whether lookups were counted within the last day: a deployment that counts them, running. */
    boolean lookupsCounted(long now) {
        return lastTrafficAt != Long.MIN_VALUE && now - lastTrafficAt <= EngineConfig.DAY;
    }

    IpEvidence get(IpBlock ip) {
        return byIp.get(ip);
    }

    IpEvidence getOrCreate(IpBlock ip) {
        IpEvidence e = byIp.get(ip);
        if (e == null) {
            e = new IpEvidence(ip);
            byIp.put(ip, e);
            if (!ip.isSingleAddress()) {
                usePrefix(ip.isV6(), ip.prefixLength());
            }
        }
        return e;
    }

    private void usePrefix(boolean v6, int prefix) {
        boolean[] seen = v6 ? v6Prefixes : v4Prefixes;
        if (seen[prefix]) {
            return;
        }
        seen[prefix] = true;
        int[] old = v6 ? v6InUse : v4InUse;
        int[] now = java.util.Arrays.copyOf(old, old.length + 1);
        now[old.length] = prefix;
        java.util.Arrays.sort(now);
        if (v6) {
            v6InUse = now;
        } else {
            v4InUse = now;
        }
    }

    /** Block sizes with evidence, narrowest last. */
    int[] prefixesInUse(boolean v6) {
        return v6 ? v6InUse : v4InUse;
    }

    /** Up to {@code max} listed single addresses inside an IPv4 block of /24 or narrower. */
    List<IpBlock> listedInside(IpBlock block, int max) {
        List<IpBlock> out = new ArrayList<>();
        if (block.isV6() || block.prefixLength() < 24) {
            return out; // an IPv6 /64 cannot be walked; wider IPv4 blocks are never escalated
        }
        int size = 1 << (32 - block.prefixLength());
        for (int i = 0; i < size && out.size() < max; i++) {
            IpEvidence e = get(IpBlock.ofV4(block.v4() + i, 32));
            if (e != null && e.listed()) {
                out.add(e.ip);
            }
        }
        return out;
    }

    /** The narrowest listed block strictly containing {@code ip}, or null. */
    IpEvidence listedContainer(IpBlock ip) {
        int[] prefixes = prefixesInUse(ip.isV6());
        for (int i = prefixes.length - 1; i >= 0; i--) {
            int p = prefixes[i];
            if (p >= ip.prefixLength()) {
                continue;
            }
            IpEvidence e = byIp.get(ip.widen(p));
            if (e != null && e.listed()) {
                return e;
            }
        }
        return null;
    }

    void markListed(IpEvidence e) {
        listed.add(e);
    }

    void markUnlisted(IpEvidence e) {
        listed.remove(e);
    }

    Iterable<IpEvidence> listed() {
        return listed;
    }

    int listedCount() {
        return listed.size();
    }

    /** Counts a listed single address in its /24 or /64; returns the new count. */
    int countListedIn(IpBlock block, int delta) {
        int[] c = listedPerBlock.get(block);
        if (c == null) {
            if (delta <= 0) {
                return 0;
            }
            c = new int[2];
            listedPerBlock.put(block, c);
        }
        c[0] += delta;
        if (c[0] <= 0) {
            listedPerBlock.remove(block);
            return 0;
        }
        return c[0];
    }

    /**
     * Makes a listed single address (already counted by {@link #countListedIn}) a witness of its
     * {@code block}, or no longer one: its flag and the block's count change together.
     */
    void setBlockWitness(IpEvidence e, IpBlock block, boolean witness) {
        int[] c = listedPerBlock.get(block);
        if (e.blockWitness == witness || c == null) {
            return;
        }
        e.blockWitness = witness;
        c[1] += witness ? 1 : -1;
    }

    /** Block witnesses among the listed single addresses of {@code block}. */
    int witnessesIn(IpBlock block) {
        int[] c = listedPerBlock.get(block);
        return c == null ? 0 : c[1];
    }

    /** Forgets addresses whose evidence can no longer matter; returns how many. */
    int sweep(long now, long evidenceMaxAgeMillis, long lookupHalfLifeMillis, double forgettableLookups, long newSenderMillis) {
        int removed = 0;
        Iterator<IpEvidence> it = byIp.values().iterator();
        while (it.hasNext()) {
            IpEvidence e = it.next();
            e.prune(now - evidenceMaxAgeMillis);
            if (e.idle(now, lookupHalfLifeMillis, forgettableLookups, newSenderMillis)) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    int size() {
        return byIp.size();
    }

    /**
     * The book holds too many addresses: forgets those that {@link #sweep} would, and also new
     * senders that only a few lookups ever named (their first report then meets the plain bar until
     * their next lookup count). Returns how many.
     */
    int sweepUnderPressure(long now, long evidenceMaxAgeMillis, long lookupHalfLifeMillis, double forgettableLookups) {
        return sweep(now, evidenceMaxAgeMillis, lookupHalfLifeMillis, forgettableLookups, 0);
    }

    ArrayList<IpEvidence> all() {
        return new ArrayList<>(byIp.values());
    }

    // ---- for EngineSnapshot ------------------------------------------------------------------

    Iterable<IpEvidence> inBook() {
        return byIp.values();
    }

    /** Evidence read back from a snapshot (block prefixes are restored separately, as they were). */
    void restore(IpEvidence e) {
        byIp.put(e.ip, e);
    }

    boolean[] prefixesSeen(boolean v6) {
        return v6 ? v6Prefixes : v4Prefixes;
    }

    void restorePrefixesInUse(int[] v4, int[] v6) {
        v4InUse = v4;
        v6InUse = v6;
    }

    java.util.Map<IpBlock, int[]> listedPerBlock() {
        return listedPerBlock;
    }
}
