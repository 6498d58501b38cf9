package net.trustbl.gateway.filter;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The content of an archive member as it is decompressed: every byte read counts against the scan's
 * decompression budget (and is where a long scan notices its deadline), so nested archives can be
 * streamed (gzip, tar) or copied (zip) without a bomb getting past the budget. A spent budget ends
 * the read with {@link Spent}, which carries the reason the attachment is uninspectable.
 */
final class BudgetedStream extends FilterInputStream {

    /** The budget ran out while reading: the caller rethrows {@link #reason()}. */
    static final class Spent extends IOException {
        private final transient Uninspectable reason;

        Spent(Uninspectable reason) {
            super(reason.getMessage(), null);
            this.reason = reason;
        }

        Uninspectable reason() {
            return reason;
        }
    }

    private final ScanBudget budget;

    BudgetedStream(InputStream in, ScanBudget budget) {
        super(in);
        this.budget = budget;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes are decompressed all the same: read them so they count
        byte[] sink = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long done = 0;
        while (done < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    private void count(int n) throws Spent {
        try {
            budget.inflated(n);
        } catch (Uninspectable e) {
            throw new Spent(e);
        }
    }
}
