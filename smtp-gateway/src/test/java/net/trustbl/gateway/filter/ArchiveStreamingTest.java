package net.trustbl.gateway.filter;

import net.trustbl.gateway.budget.InFlightBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static net.trustbl.gateway.filter.AttachmentScannerTest.concat;
import static net.trustbl.gateway.filter.AttachmentScannerTest.gzip;
import static net.trustbl.gateway.filter.AttachmentScannerTest.mail;
import static net.trustbl.gateway.filter.AttachmentScannerTest.tarEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gzip and tar members are read as streams (never whole into heap), bytes skipped in a compressed
 * tar still count against the decompression budget, and zips decoded into the spool count in its
 * disk budget.
 */
class ArchiveStreamingTest {

    private static final Set<String> BLOCKED = Set.of("exe", "bat");
    private static final byte[] PDF = "%PDF-1.4 a report".getBytes();

    private final ArchiveInspector inspector = new ArchiveInspector(
            n -> n.endsWith(".exe") || n.endsWith(".bat"), EnumSet.noneOf(ArchiveFormat.class));

    private static ScanBudget budget(long inflated) {
        return new ScanBudget(4, inflated, 10_000, 10_000);
    }

    /** Counts what was taken from the underlying stream. */
    private static final class Counting extends FilterInputStream {
        long read;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }

    @Test
    void aBlockedNameEarlyInABigTarGzIsFoundWithoutReadingTheRest() throws Exception {
        byte[] filler = new byte[512 * 1024];
        new Random(3).nextBytes(filler); // incompressible: the gzip is as big as the tar
        byte[] tgz = gzip(concat(tarEntry("setup.bat", "echo".getBytes()), tarEntry("filler.bin", filler), new byte[1024]));
        Counting in = new Counting(new ByteArrayInputStream(tgz));
        String found = inspector.inspect(ArchiveFormat.GZIP, in, 1, budget(64L << 20));
        assertTrue(found != null && found.endsWith("setup.bat"), found);
        assertTrue(in.read < tgz.length / 4, "read " + in.read + " of " + tgz.length + " bytes: the archive was not streamed");
    }

    @Test
    void entriesSkippedInACompressedTarCountAgainstTheBudget() throws Exception {
        byte[] tgz = gzip(concat(tarEntry("zeros.bin", new byte[2 * 1024 * 1024]), tarEntry("run.exe", "MZ".getBytes()),
                new byte[1024]));
        Uninspectable spent = assertThrows(Uninspectable.class,
                () -> inspector.inspect(ArchiveFormat.GZIP, new ByteArrayInputStream(tgz), 1, budget(1024 * 1024)));
        assertTrue(spent.getMessage().contains("decompression budget"), spent.getMessage());
        String found = inspector.inspect(ArchiveFormat.GZIP, new ByteArrayInputStream(tgz), 1, budget(64L << 20));
        assertTrue(found != null && found.endsWith("run.exe"),
                "with room in the budget the skipped entry is passed and the next one is seen: " + found);
    }

    @Test
    void aTarThatEndsInsideAnEntryFailsClosed() throws Exception {
        byte[] tar = concat(tarEntry("report.pdf", new byte[4096]));
        byte[] cut = java.util.Arrays.copyOf(tar, 512 + 1000);
        Uninspectable damaged = assertThrows(Uninspectable.class,
                () -> inspector.inspect(ArchiveFormat.GZIP, new ByteArrayInputStream(gzip(cut)), 1, budget(64L << 20)));
        // the entry's content ends early: whichever reader notices it first, the archive fails closed
        assertTrue(damaged.getMessage().contains("damaged"), damaged.getMessage());
        assertNull(inspector.inspect(ArchiveFormat.TAR, new ByteArrayInputStream(concat(tar, new byte[1024])), 1,
                budget(64L << 20)));
    }

    @Test
    void aBigZipInsideATarGzIsSpilledAndItsSpoolBytesAreCounted(@TempDir Path spool) throws Exception {
        byte[] filler = new byte[8192];
        new Random(7).nextBytes(filler);
        byte[] zip = new RawZip().add("filler.bin", "filler.bin", 0, 0, filler, new byte[0]).add("invoice.exe", "MZ".getBytes())
                .bytes();
        byte[] tgz = gzip(concat(tarEntry("inner.zip", zip), new byte[1024]));
        InFlightBudget disk = new InFlightBudget(10L << 20);
        AttachmentScanner scanner = new AttachmentScanner(BLOCKED, Set.of(), Set.of(), true, 10 << 20,
                new ZipSpill(spool, 1024, disk));
        AttachmentScanner.Finding found = scanner.scan(mail("bundle.tgz", tgz), budget(64L << 20));
        assertTrue(found != null && !found.uninspectable() && found.what().endsWith("inner.zip containing invoice.exe"),
                String.valueOf(found));
        assertEquals(0, disk.used(), "the spilled zip's disk bytes are given back");
        try (Stream<Path> left = Files.list(spool)) {
            assertEquals(0, left.count(), "the spilled zip is deleted");
        }
    }

    @Test
    void aZipThatDoesNotFitTheSpoolBudgetIsDeferredNotJudged(@TempDir Path spool) throws Exception {
        byte[] filler = new byte[64 * 1024];
        new Random(9).nextBytes(filler);
        byte[] zip = new RawZip().add("filler.bin", "filler.bin", 0, 0, filler, new byte[0]).add("report.pdf", PDF).bytes();
        InFlightBudget disk = new InFlightBudget(16 * 1024);
        AttachmentScanner scanner = new AttachmentScanner(BLOCKED, Set.of(), Set.of(), true, 10 << 20,
                new ZipSpill(spool, 1024, disk));
        AttachmentScanner.Finding full = scanner.scan(mail("docs.zip", zip), budget(64L << 20));
        assertTrue(full != null && full.noRoom(), String.valueOf(full));
        Verdict v = AttachmentFilter.verdict(full, false);
        assertEquals(Verdict.Kind.TEMPFAIL, v.kind());
        assertEquals(452, v.code());
        assertEquals("4.3.1", v.status());
        assertEquals(0, disk.used(), "nothing stays reserved");
        try (Stream<Path> left = Files.list(spool)) {
            assertEquals(0, left.count(), "the partial file is deleted");
        }
        AttachmentScanner roomy = new AttachmentScanner(BLOCKED, Set.of(), Set.of(), true, 10 << 20,
                new ZipSpill(spool, 1024, new InFlightBudget(10L << 20)));
        assertNull(roomy.scan(mail("docs.zip", zip), budget(64L << 20)), "the same zip passes when the spool has room");
    }
}
