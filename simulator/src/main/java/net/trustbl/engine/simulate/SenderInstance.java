package net.trustbl.engine.simulate;

import net.trustbl.address.IpBlock;

/** One sending address for part of the run (a botnet slot goes through many of these). */
final class SenderInstance {

    final int id;
    final int group;
    final Scenario.SenderClass type;
    final IpBlock ip;
    final int startStep;
    /** Exclusive. */
    final int endStep;
    /** Hour of day (0..24) at which its daily sending window opens. */
    final double phaseHours;
    /** Which attack targets it (-1: none). */
    int attackedBy = -1;

    SenderInstance(int id, int group, Scenario.SenderClass type, IpBlock ip, int startStep, int endStep, double phaseHours) {
        this.id = id;
        this.group = group;
        this.type = type;
        this.ip = ip;
        this.startStep = startStep;
        this.endStep = endStep;
        this.phaseHours = phaseHours;
    }

    /**
     * Removes {@code active[i]} when its run has ended by {@code step} (swapped with the last, so the
     * callers walk the list from the end) and says whether it did.
     */
    static boolean retiredAt(java.util.List<SenderInstance> active, int i, int step) {
        if (active.get(i).endStep > step) {
            return false;
        }
        active.set(i, active.get(active.size() - 1));
        active.remove(active.size() - 1);
        return true;
    }

    boolean legitimate() {
        return !type.isSpam();
    }
}
