package net.trustbl.dns.index;

import java.util.Arrays;

/**
 * Immutable longest-prefix table of IPv6 prefixes: one sorted level per prefix length, parallel
 * arrays of hi/lo keys (unsigned order), codes and scores.
 */
final class V6Table {

    static final long NONE = V4Table.NONE;
    static final V6Table EMPTY = new V6Table(new long[129][], new long[129][], new byte[129][], new float[129][]);

    private final long[][] his;
    private final long[][] los;
    private final byte[][] codes;
    private final float[][] scores;
    private final int[] levels;
    private final int size;

    private V6Table(long[][] his, long[][] los, byte[][] codes, float[][] scores) {
        this.his = his;
        this.los = los;
        this.codes = codes;
        this.scores = scores;
        for (int p = 0; p <= 128; p++) {
            if (his[p] == null || his[p].length == 0) { // lookups need no null checks
                his[p] = new long[0];
                los[p] = new long[0];
                codes[p] = new byte[0];
                scores[p] = new float[0];
            }
        }
        this.levels = PrefixLevels.occupied(128, p -> his[p].length);
        this.size = PrefixLevels.entries(levels, p -> his[p].length);
    }

    int size() {
        return size;
    }

    private static int search(long[] h, long[] l, long hi, long lo) {
        int a = 0;
        int b = h.length - 1;
        while (a <= b) {
            int m = (a + b) >>> 1;
            int c = Ip.compare(h[m], l[m], hi, lo);
            if (c < 0) {
                a = m + 1;
            } else if (c > 0) {
                b = m - 1;
            } else {
                return m;
            }
        }
        return -(a + 1);
    }

    long find(long hi, long lo) {
        for (int p : levels) {
            int i = search(his[p], los[p], hi & Ip.maskHi(p), lo & Ip.maskLo(p));
            if (i >= 0) {
                int code = codes[p][i] & 255;
                if (code == 0) {
                    return NONE;
                }
                return ((long) code << 32) | (Float.floatToRawIntBits(scores[p][i]) & 0xffffffffL);
            }
        }
        return NONE;
    }

    /** Entry at exactly this prefix (exclusions as code 0), or NONE. */
    long exact(long hi, long lo, int prefix) {
        int i = search(his[prefix], los[prefix], hi, lo);
        if (i < 0) {
            return NONE;
        }
        return ((long) (codes[prefix][i] & 255) << 32) | (Float.floatToRawIntBits(scores[prefix][i]) & 0xffffffffL);
    }

    void forEach(EntryVisitor v) {
        for (int p = 0; p <= 128; p++) {
            for (int i = 0; i < his[p].length; i++) {
                int c = codes[p][i] & 255;
                v.entry(true, his[p][i], los[p][i], p, c == 0 ? -1 : c, scores[p][i]);
            }
        }
    }

    /** Same contract as {@link V4Table#build}. */
    static V6Table build(V6Table base, long[][] inHi, long[][] inLo, int[][] inCodes, float[][] inScores,
                         int[] counts, V4Table.ChangeSink sink) {
        long[][] h = new long[129][];
        long[][] l = new long[129][];
        byte[][] c = new byte[129][];
        float[][] s = new float[129][];
        for (int p = 0; p <= 128; p++) {
            int n = counts[p];
            if (n == 0) {
                if (base != null && base.his[p].length > 0) {
                    h[p] = base.his[p];
                    l[p] = base.los[p];
                    c[p] = base.codes[p];
                    s[p] = base.scores[p];
                }
                continue;
            }
            long[] dh = new long[n];
            long[] dl = new long[n];
            int[] dc = new int[n];
            float[] ds = new float[n];
            int m = lastWins(n, inHi[p], inLo[p], inCodes[p], inScores[p], dh, dl, dc, ds);
            long[] bh = base == null ? new long[0] : base.his[p];
            long[] bl = base == null ? new long[0] : base.los[p];
            byte[] bc = base == null ? new byte[0] : base.codes[p];
            float[] bs = base == null ? new float[0] : base.scores[p];
            int cap = bh.length + m;
            long[] oh = new long[cap];
            long[] ol = new long[cap];
            byte[] oc = new byte[cap];
            float[] os = new float[cap];
            int o = 0;
            int i = 0;
            int j = 0;
            while (i < bh.length || j < m) {
                int cmp = j >= m ? -1 : (i >= bh.length ? 1 : Ip.compare(bh[i], bl[i], dh[j], dl[j]));
                if (cmp < 0) {
                    oh[o] = bh[i];
                    ol[o] = bl[i];
                    oc[o] = bc[i];
                    os[o] = bs[i];
                    o++;
                    i++;
                    continue;
                }
                boolean same = cmp == 0;
                int newCode = dc[j];
                if (sink != null) {
                    int oldCode = same ? (bc[i] & 255) : -2;
                    if (oldCode == 0) {
                        oldCode = -1;
                    }
                    sink.change(true, dh[j], dl[j], p, oldCode, same ? bs[i] : 0f, newCode, ds[j]);
                }
                if (newCode != 0) {
                    oh[o] = dh[j];
                    ol[o] = dl[j];
                    oc[o] = (byte) (newCode == -1 ? 0 : newCode);
                    os[o] = ds[j];
                    o++;
                }
                if (same) {
                    i++;
                }
                j++;
            }
            h[p] = Arrays.copyOf(oh, o);
            l[p] = Arrays.copyOf(ol, o);
            c[p] = Arrays.copyOf(oc, o);
            s[p] = Arrays.copyOf(os, o);
        }
        return new V6Table(h, l, c, s);
    }

    /** As {@link V4Table}'s: the first n entries sorted into dh/dl/dc/ds, the last of equal keys winning. */
    private static int lastWins(int n, long[] ih, long[] il, int[] inCodes, float[] inScores,
                                long[] dh, long[] dl, int[] dc, float[] ds) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // stable sort: equal keys keep arrival order so the last one wins
        Arrays.sort(order, (x, y) -> Ip.compare(ih[x], il[x], ih[y], il[y]));
        int m = 0;
        for (int i = 0; i < n; i++) {
            int idx = order[i];
            if (m > 0 && dh[m - 1] == ih[idx] && dl[m - 1] == il[idx]) {
                m--;
            }
            dh[m] = ih[idx];
            dl[m] = il[idx];
            dc[m] = inCodes[idx];
            ds[m] = inScores[idx];
            m++;
        }
        return m;
    }
}
