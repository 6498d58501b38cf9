package net.trustbl.dns.index;

import java.util.Arrays;

/**
 * Collects listings into primitive per-prefix arrays (no object per entry) and builds a
 * {@link ZoneIndex}, either fresh or merged over an existing one. Not thread-safe; use once.
 */
public final class IndexBuilder {

    private final int[][] v4Keys = new int[33][];
    private final int[][] v4Codes = new int[33][];
    private final float[][] v4Scores = new float[33][];
    private final int[] v4Counts = new int[33];
    private final long[][] v6Hi = new long[129][];
    private final long[][] v6Lo = new long[129][];
    private final int[][] v6Codes = new int[129][];
    private final float[][] v6Scores = new float[129][];
    private final int[] v6Counts = new int[129];
    private int added;

    public int added() {
        return added;
    }

    public IndexBuilder add(ListingRecord r) {
        return add(Ip.parseBlock(r.cidr()), r.returnCode(), r.score());
    }

    public IndexBuilder add(Ip.Block b, int code, float score) {
        if (b.v6()) {
            return addV6(b.hi(), b.lo(), b.prefix(), code, score);
        }
        return addV4((int) b.lo(), b.prefix(), code, score);
    }

    /** code: 1..255 listed, -1 exclusion, 0 removal (only meaningful when merged over a base). */
    public IndexBuilder addV4(int address, int prefix, int code, float score) {
        int n = v4Counts[prefix];
        if (v4Keys[prefix] == null) {
            int cap = prefix == 32 ? 1024 : 16;
            v4Keys[prefix] = new int[cap];
            v4Codes[prefix] = new int[cap];
            v4Scores[prefix] = new float[cap];
        } else if (n == v4Keys[prefix].length) {
            int cap = n + (n >> 1) + 16;
            v4Keys[prefix] = Arrays.copyOf(v4Keys[prefix], cap);
            v4Codes[prefix] = Arrays.copyOf(v4Codes[prefix], cap);
            v4Scores[prefix] = Arrays.copyOf(v4Scores[prefix], cap);
        }
        v4Keys[prefix][n] = address & Ip.mask4(prefix);
        v4Codes[prefix][n] = code;
        v4Scores[prefix][n] = score;
        v4Counts[prefix] = n + 1;
        added++;
        return this;
    }

    public IndexBuilder addV6(long hi, long lo, int prefix, int code, float score) {
        int n = v6Counts[prefix];
        if (v6Hi[prefix] == null) {
            v6Hi[prefix] = new long[16];
            v6Lo[prefix] = new long[16];
            v6Codes[prefix] = new int[16];
            v6Scores[prefix] = new float[16];
        } else if (n == v6Hi[prefix].length) {
            int cap = n * 2;
            v6Hi[prefix] = Arrays.copyOf(v6Hi[prefix], cap);
            v6Lo[prefix] = Arrays.copyOf(v6Lo[prefix], cap);
            v6Codes[prefix] = Arrays.copyOf(v6Codes[prefix], cap);
            v6Scores[prefix] = Arrays.copyOf(v6Scores[prefix], cap);
        }
        v6Hi[prefix][n] = hi & Ip.maskHi(prefix);
        v6Lo[prefix][n] = lo & Ip.maskLo(prefix);
        v6Codes[prefix][n] = code;
        v6Scores[prefix][n] = score;
        v6Counts[prefix] = n + 1;
        added++;
        return this;
    }

    /** A fresh index (removals ignored). */
    public ZoneIndex build() {
        return new ZoneIndex(V4Table.build(null, v4Keys, v4Codes, v4Scores, v4Counts, null),
                V6Table.build(null, v6Hi, v6Lo, v6Codes, v6Scores, v6Counts, null));
    }

    /** This input merged over {@code base}; every effective change is reported to {@code sink}. */
    ZoneIndex mergeOver(ZoneIndex base, V4Table.ChangeSink sink) {
        return new ZoneIndex(V4Table.build(base.v4(), v4Keys, v4Codes, v4Scores, v4Counts, sink),
                V6Table.build(base.v6(), v6Hi, v6Lo, v6Codes, v6Scores, v6Counts, sink));
    }
}
