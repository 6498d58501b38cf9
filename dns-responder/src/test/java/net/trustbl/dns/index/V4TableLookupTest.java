package net.trustbl.dns.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The lookup's search paths (small levels by binary search; big levels by /16 bucket, counted in
 * small buckets and binary-searched in dense ones; codes read per entry or taken as the level's one
 * code) against a plain map per prefix length, most specific first.
 */
class V4TableLookupTest {

    private static final int BIG = 60_000; // above the bucketing threshold

    private final Random rnd = new Random(18);
    private final int[][] keys = new int[33][];
    private final int[][] codes = new int[33][];
    private final float[][] scores = new float[33][];
    private final int[] counts = new int[33];
    private final Map<Integer, Map<Integer, Integer>> reference = new HashMap<>();

    @Test
    void bigUniformLevelWithDenseBucketsAndExclusionsAboveMixedLevels() {
        for (int i = 0; i < BIG - 300; i++) {
            add(32, rnd.nextInt(), 2);
        }
        for (int i = 0; i < 300; i++) {
            add(32, 0x0a0b0000 | (i * 7), 2); // one /16 with 300 entries: a dense bucket
        }
        for (int i = 0; i < 200; i++) {
            add(24, rnd.nextInt() & 0xffffff00, 1 + rnd.nextInt(9)); // mixed codes
            add(24, rnd.nextInt() & 0xffffff00, -1); // exclusions
        }
        add(8, 0x0a000000, 5);
        checkAgainstReference();
    }

    @Test
    void bigLevelWithMixedCodesAndExclusions() {
        for (int i = 0; i < BIG; i++) {
            add(32, rnd.nextInt(), rnd.nextInt(10) == 0 ? -1 : 1 + rnd.nextInt(3));
        }
        add(16, 0xc0a80000, 4);
        checkAgainstReference();
    }

    private void add(int prefix, int key, int code) {
        if (keys[prefix] == null) {
            keys[prefix] = new int[BIG];
            codes[prefix] = new int[BIG];
            scores[prefix] = new float[BIG];
        }
        int n = counts[prefix]++;
        keys[prefix][n] = key;
        codes[prefix][n] = code;
        scores[prefix][n] = code * 0.5f;
        reference.computeIfAbsent(prefix, p -> new HashMap<>()).put(key, code); // later input wins
    }

    private void checkAgainstReference() {
        V4Table table = V4Table.build(null, keys, codes, scores, counts, null);
        int checked = 0;
        for (int p = 32; p >= 0; p--) {
            for (int i = 0; i < counts[p]; i++) {
                int k = keys[p][i];
                for (int probe : new int[] {k, k + 1, k - 1, k | 0xff, k ^ 0x100}) {
                    check(table, probe);
                    checked++;
                }
            }
        }
        for (int i = 0; i < 100_000; i++) {
            check(table, rnd.nextInt());
        }
        assertTrue(checked > BIG, "every key and its neighbours probed");
    }

    private void check(V4Table table, int ip) {
        int want = 0;
        for (int p = 32; p >= 0; p--) {
            Integer c = reference.getOrDefault(p, Map.of()).get(ip & Ip.mask4(p));
            if (c != null) {
                want = c == -1 ? 0 : c;
                break;
            }
        }
        long found = table.find(ip);
        int fromFind = found == V4Table.NONE ? 0 : ZoneIndex.code(found);
        assertEquals(want, fromFind, () -> "find " + Integer.toHexString(ip));
        assertEquals(want, table.findCode(ip), () -> "findCode " + Integer.toHexString(ip));
        if (want > 0) {
            assertEquals(want * 0.5f, ZoneIndex.score(found), () -> "score " + Integer.toHexString(ip));
        }
    }
}
