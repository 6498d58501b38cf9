package net.trustbl.dns.index;

import java.util.Arrays;

/**
 * Immutable longest-prefix table of IPv4 blocks. One sorted level per prefix length, kept as
 * parallel primitive arrays (int key, byte code, float score = 9 bytes per entry) so that a million
 * single addresses cost about 9 MB of heap. Keys are stored with the sign bit flipped so that
 * {@link Arrays#binarySearch(int[], int)} orders them as unsigned numbers.
 */
final class V4Table {

    static final long NONE = Long.MIN_VALUE;
    private static final int[] NO_KEYS = new int[0];
    static final V4Table EMPTY = new V4Table(new int[33][], new byte[33][], new float[33][]);

    private final int[][] keys;
    private final byte[][] codes;
    private final float[][] scores;
    /**
     * For big levels, where each /16 starts: {@code buckets[p][b]} is the first index whose key has
     * top 16 bits >= b. Narrows the binary search to a few entries (a few cache misses instead of
     * ~20 on a million keys) for 256 KB per big level.
     */
    private final int[][] buckets = new int[33][];
    private static final int BUCKET_MIN_ENTRIES = 32_768;
    /**
     * A bucket of up to this many keys is searched by counting the keys below the one wanted (no
     * data-dependent branch to mispredict; the bucket is one or two cache lines); a bigger one
     * (a densely listed /16) by binary search.
     */
    private static final int LINEAR_MAX = 48;
    /**
     * Per level, the code every entry there has (0 for exclusions only), or -1 when they differ:
     * the usual list has one code, and then a lookup need not touch the codes array (a cache miss
     * on a big level).
     */
    private final int[] uniformCode = new int[33];
    /** Prefix lengths that hold entries, most specific first. */
    private final int[] levels;
    private final int size;

    V4Table(int[][] keys, byte[][] codes, float[][] scores) {
        this.keys = keys;
        this.codes = codes;
        this.scores = scores;
        for (int p = 0; p <= 32; p++) {
            if (keys[p] == null || keys[p].length == 0) { // lookups need no null checks
                keys[p] = NO_KEYS;
                codes[p] = new byte[0];
                scores[p] = new float[0];
            }
        }
        this.levels = PrefixLevels.occupied(32, p -> keys[p].length);
        this.size = PrefixLevels.entries(levels, p -> keys[p].length);
        for (int p = 0; p <= 32; p++) {
            uniformCode[p] = uniform(codes[p]);
        }
        for (int p = 17; p <= 32; p++) {
            int[] k = keys[p];
            if (k.length >= BUCKET_MIN_ENTRIES) {
                int[] b = new int[65537];
                int i = 0;
                for (int top = 0; top <= 65536; top++) {
                    while (i < k.length && ((k[i] ^ Integer.MIN_VALUE) >>> 16) < top) {
                        i++;
                    }
                    b[top] = i;
                }
                buckets[p] = b;
            }
        }
    }

    int size() {
        return size;
    }

    /**
     * Most specific match: {@code code << 32 | floatBits(score)}, or {@link #NONE} when nothing
     * matches or the most specific match is an exclusion.
     */
    long find(int ip) {
        for (int p : levels) {
            int i = indexOf(p, ip & Ip.mask4(p));
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

    /**
     * The code of the most specific match, 0 when nothing matches or it is an exclusion: what
     * {@link #find} says without reading the score (the lookup of every plain query).
     */
    int findCode(int ip) {
        for (int p : levels) {
            int i = indexOf(p, ip & Ip.mask4(p));
            if (i >= 0) {
                int u = uniformCode[p];
                return u >= 0 ? u : codes[p][i] & 255;
            }
        }
        return 0;
    }

    /** Where {@code key} (already masked to prefix {@code p}) is stored at level p, or -1. */
    private int indexOf(int p, int key) {
        int[] k = keys[p];
        int want = key ^ Integer.MIN_VALUE;
        int[] b = buckets[p];
        if (b == null) {
            int i = Arrays.binarySearch(k, want);
            return i >= 0 ? i : -1;
        }
        int from = b[key >>> 16];
        int to = b[(key >>> 16) + 1];
        if (to - from > LINEAR_MAX) {
            int i = Arrays.binarySearch(k, from, to, want);
            return i >= 0 ? i : -1;
        }
        int at = from;
        for (int i = from; i < to; i++) {
            at += k[i] < want ? 1 : 0; // keys are sorted: this counts those below the wanted one
        }
        return at < to && k[at] == want ? at : -1;
    }

    private static int uniform(byte[] c) {
        if (c.length == 0) {
            return -1;
        }
        for (byte v : c) {
            if (v != c[0]) {
                return -1;
            }
        }
        return c[0] & 255;
    }

    boolean contains(int ip) {
        return find(ip) != NONE;
    }

    void forEach(EntryVisitor v) {
        for (int p = 0; p <= 32; p++) {
            int[] k = keys[p];
            for (int i = 0; i < k.length; i++) {
                int c = codes[p][i] & 255;
                v.entry(false, 0, (k[i] ^ Integer.MIN_VALUE) & 0xffffffffL, p, c == 0 ? -1 : c, scores[p][i]);
            }
        }
    }

    /** Current entry at exactly this prefix, as {@link #find} packs it, or NONE (exclusions included as code 0). */
    long exact(int key, int prefix) {
        int i = Arrays.binarySearch(keys[prefix], key ^ Integer.MIN_VALUE);
        if (i < 0) {
            return NONE;
        }
        return ((long) (codes[prefix][i] & 255) << 32) | (Float.floatToRawIntBits(scores[prefix][i]) & 0xffffffffL);
    }

    /**
     * Builds a table from unsorted per-level input (code: 1..255 listed, -1 exclusion, 0 removal).
     * When {@code base} is given, input entries are merged over it (0 removes). Later input wins.
     */
    static V4Table build(V4Table base, int[][] inKeys, int[][] inCodes, float[][] inScores, int[] counts,
                         ChangeSink sink) {
        int[][] k = new int[33][];
        byte[][] c = new byte[33][];
        float[][] s = new float[33][];
        for (int p = 0; p <= 32; p++) {
            int n = counts[p];
            if (n == 0) {
                if (base != null) {
                    k[p] = base.keys[p];
                    c[p] = base.codes[p];
                    s[p] = base.scores[p];
                }
                continue;
            }
            int[] dk = new int[n];
            int[] dc = new int[n];
            float[] ds = new float[n];
            int m = lastWins(n, inKeys[p], inCodes[p], inScores[p], dk, dc, ds);
            int[] bk = base == null ? NO_KEYS : base.keys[p];
            byte[] bc = base == null ? new byte[0] : base.codes[p];
            float[] bs = base == null ? new float[0] : base.scores[p];
            int cap = bk.length + m;
            int[] ok = new int[cap];
            byte[] oc = new byte[cap];
            float[] os = new float[cap];
            int o = 0;
            int i = 0;
            int j = 0;
            while (i < bk.length || j < m) {
                if (j >= m || (i < bk.length && bk[i] < dk[j])) {
                    ok[o] = bk[i];
                    oc[o] = bc[i];
                    os[o] = bs[i];
                    o++;
                    i++;
                    continue;
                }
                boolean same = i < bk.length && bk[i] == dk[j];
                int newCode = dc[j];
                if (sink != null) {
                    int oldCode = same ? (bc[i] & 255) : -2;
                    if (oldCode == 0) {
                        oldCode = -1;
                    }
                    sink.change(false, 0, (dk[j] ^ Integer.MIN_VALUE) & 0xffffffffL, p,
                            oldCode, same ? bs[i] : 0f, newCode, ds[j]);
                }
                if (newCode != 0) {
                    ok[o] = dk[j];
                    oc[o] = (byte) (newCode == -1 ? 0 : newCode);
                    os[o] = ds[j];
                    o++;
                }
                if (same) {
                    i++;
                }
                j++;
            }
            k[p] = o == cap ? ok : Arrays.copyOf(ok, o);
            c[p] = o == cap ? oc : Arrays.copyOf(oc, o);
            s[p] = o == cap ? os : Arrays.copyOf(os, o);
        }
        for (int p = 0; p <= 32; p++) {
            if (c[p] == null) {
                c[p] = new byte[0];
                s[p] = new float[0];
            }
        }
        return new V4Table(k, c, s);
    }

    /**
     * The first n input entries sorted by unsigned key into dk/dc/ds, one per key: of equal keys
     * the last to arrive wins. Returns how many distinct keys there are.
     */
    private static int lastWins(int n, int[] inKeys, int[] inCodes, float[] inScores, int[] dk, int[] dc, float[] ds) {
        long[] order = new long[n]; // unsigned key, then arrival
        for (int i = 0; i < n; i++) {
            order[i] = ((long) (inKeys[i] ^ Integer.MIN_VALUE) << 32) | i;
        }
        Arrays.sort(order);
        int m = 0;
        for (int i = 0; i < n; i++) {
            int idx = (int) order[i];
            int key = (int) (order[i] >> 32);
            if (m > 0 && dk[m - 1] == key) {
                m--;
            }
            dk[m] = key;
            dc[m] = inCodes[idx];
            ds[m] = inScores[idx];
            m++;
        }
        return m;
    }

    /** Told of each change while merging; oldCode -2 = there was none, -1 exclusion; newCode 0 = removed. */
    interface ChangeSink {
        void change(boolean v6, long hi, long lo, int prefix, int oldCode, float oldScore, int newCode, float newScore);
    }
}
