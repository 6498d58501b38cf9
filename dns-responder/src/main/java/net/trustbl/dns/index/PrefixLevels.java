package net.trustbl.dns.index;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/** The prefix lengths of a table that hold entries: lookups walk only these, most specific first. */
final class PrefixLevels {

    private PrefixLevels() {
    }

    /** Prefix lengths from {@code maxPrefix} down to 0 whose entry count is above zero. */
    static int[] occupied(int maxPrefix, IntUnaryOperator entriesAt) {
        int[] levels = new int[maxPrefix + 1];
        int n = 0;
        for (int p = maxPrefix; p >= 0; p--) {
            if (entriesAt.applyAsInt(p) > 0) {
                levels[n++] = p;
            }
        }
        return Arrays.copyOf(levels, n);
    }

    /** Entries over the given levels. */
    static int entries(int[] levels, IntUnaryOperator entriesAt) {
        int total = 0;
        for (int p : levels) {
            total += entriesAt.applyAsInt(p);
        }
        return total;
    }
}
