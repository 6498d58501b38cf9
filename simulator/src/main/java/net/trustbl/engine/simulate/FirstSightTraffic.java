package net.trustbl.engine.simulate;

import java.util.Arrays;

/**
 * The live service's traffic roll-up rule (trust-service {@code TrafficRollup}) applied to the
 * generated stream: lookups of an address not seen in this traffic interval or the previous one
 * reach the engine at once, as the service journals them within a minute; so do its later counts
 * in that interval and the next, as the service journals a new address's counts every
 * new-address step (10 minutes, one simulator step); every later count of the address waits for
 * the interval's end. Without it the simulator showed every new sender to the engine up to an
 * interval late, which the live service does not.
 */
final class FirstSightTraffic {

    private boolean[] seenNow;
    private boolean[] seenBefore;
    /** First seen (not seen in the interval before) in this interval, and in the previous one. */
    private boolean[] newNow;
    private boolean[] newBefore;

    FirstSightTraffic(int senders) {
        seenNow = new boolean[senders];
        seenBefore = new boolean[senders];
        newNow = new boolean[senders];
        newBefore = new boolean[senders];
    }

    /** Whether lookups of this sender pass at once (first sight, or a new address's step); marks it seen either way. */
    boolean passesAtOnce(int sender) {
        if (!seenNow[sender] && !seenBefore[sender]) {
            newNow[sender] = true;
        }
        seenNow[sender] = true;
        return newNow[sender] || newBefore[sender];
    }

    /** The traffic interval ended: what was seen in it is now "seen before". */
    void endInterval() {
        boolean[] old = seenBefore;
        seenBefore = seenNow;
        Arrays.fill(old, false);
        seenNow = old;
        old = newBefore;
        newBefore = newNow;
        Arrays.fill(old, false);
        newNow = old;
    }
}
