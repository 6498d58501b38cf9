package net.trustbl.engine.simulate;

import java.util.Arrays;

/**
 * The live service's traffic roll-up rule (trust-service {@code TrafficRollup}) applied to the
 * generated stream: lookups of an address not seen in this traffic interval or the previous one
 * reach the engine at once, as the service journals them within a minute; every later count of
 * the address waits for the interval's end. Without it the simulator showed every new sender to
 * the engine up to an interval late, which the live service does not.
 */
final class FirstSightTraffic {

    private boolean[] seenNow;
    private boolean[] seenBefore;

    FirstSightTraffic(int senders) {
        seenNow = new boolean[senders];
        seenBefore = new boolean[senders];
    }

    /** Whether lookups of this sender pass at once (first sight); marks it seen either way. */
    boolean passesAtOnce(int sender) {
        boolean known = seenNow[sender] || seenBefore[sender];
        seenNow[sender] = true;
        return !known;
    }

    /** The traffic interval ended: what was seen in it is now "seen before". */
    void endInterval() {
        boolean[] old = seenBefore;
        seenBefore = seenNow;
        Arrays.fill(old, false);
        seenNow = old;
    }
}
