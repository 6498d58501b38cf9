package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.EngineSnapshot;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.TrustEngine;
import net.trustbl.engine.Verdict;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot of a big engine (lookup counts on every address, reports and trap hits on a tenth,
 * 30 days of them) restores to the same engine, and prints what writing and reading cost per
 * address. 50,000 addresses by default; {@code -Dsnapshot.scale.addresses=1000000} measures the
 * issue's million (docs/operations.md, capacity model).
 */
class EngineSnapshotScaleTest {

    private static final long DAY = EngineConfig.DAY;

    @Test
    void aBigEngineRestoresToTheSameEngine() throws IOException {
        int addresses = Integer.getInteger("snapshot.scale.addresses", 50_000);
        long start = 1_790_000_000_000L;
        TrustEngine engine = new TrustEngine(EngineConfig.defaults());
        List<EngineEvent> tail = history(engine, addresses, start);

        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        long c0 = cpu.getCurrentThreadCpuTime();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(addresses * 80);
        EngineSnapshot.write(engine, buffer);
        long wrote = System.nanoTime() - t0;
        long wroteCpu = cpu.getCurrentThreadCpuTime() - c0;
        byte[] bytes = buffer.toByteArray();
        t0 = System.nanoTime();
        c0 = cpu.getCurrentThreadCpuTime();
        TrustEngine restored = EngineSnapshot.read(engine.config(), new ByteArrayInputStream(bytes));
        long read = System.nanoTime() - t0;
        long readCpu = cpu.getCurrentThreadCpuTime() - c0;
        int tracked = engine.trackedAddresses();
        // wall time suffers from other processes on a shared machine; the thread's CPU time much less
        System.out.printf("snapshot of %d addresses (%d tracked, %d listed): %d bytes (%.1f per address); "
                        + "written in %d ms wall, %d ms CPU (%.2f us/address); read in %d ms wall, %d ms CPU (%.2f us/address)%n",
                addresses, tracked, engine.listingCount(), bytes.length, bytes.length / (double) tracked,
                wrote / 1_000_000, wroteCpu / 1_000_000, wroteCpu / 1e3 / tracked,
                read / 1_000_000, readCpu / 1_000_000, readCpu / 1e3 / tracked);

        bytes = null;
        buffer = null;
        System.out.printf("heap in use with the original and the restored engine: %d MB (%.0f bytes per tracked address and engine)%n",
                usedHeapAfterGc() >> 20, usedHeapAfterGc() / 2.0 / tracked);
        assertTrue(engine.listingCount() > 10, "the history lists addresses: " + engine.listingCount());
        assertEquals(engine.trackedAddresses(), restored.trackedAddresses());
        assertEquals(engine.listings().toString(), restored.listings().toString());
        long now = engine.nowMillis();
        for (int n = 0; n < addresses; n += Math.max(1, addresses / 2_000)) {
            assertEquals(engine.explain(address(n), now).toString(), restored.explain(address(n), now).toString());
        }
        List<String> fromOriginal = new ArrayList<>();
        List<String> fromRestored = new ArrayList<>();
        for (EngineEvent e : tail) {
            engine.apply(e, d -> fromOriginal.add(d.toString()));
            restored.apply(e, d -> fromRestored.add(d.toString()));
        }
        assertTrue(fromOriginal.size() > 10, "the tail decides things: " + fromOriginal.size());
        assertEquals(fromOriginal, fromRestored);
    }

    /** A rough figure (a GC is only requested): what the two engines hold, for the capacity model. */
    private static long usedHeapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** 30 days of history applied to {@code engine}; returns a further day to apply after the cut. */
    private static List<EngineEvent> history(TrustEngine engine, int addresses, long start) {
        SplittableRandom rnd = new SplittableRandom(14);
        int members = 1_000;
        for (long m = 1; m <= members; m++) {
            engine.apply(new EngineEvent.MemberJoined(m, start - 30 * DAY), d -> { });
        }
        long events = addresses * 3L;
        long reportId = 0;
        List<EngineEvent> tail = new ArrayList<>();
        for (long i = 0; i < events + events / 30; i++) {
            long at = start + 31 * DAY * i / (events + events / 30);
            int n = i < addresses ? (int) i : rnd.nextInt(addresses); // every address once, then at random
            int kind = rnd.nextInt(100);
            EngineEvent e;
            if (kind < 85 || i < addresses) {
                e = new EngineEvent.TrafficObserved(address(n), 1 + rnd.nextInt(40), at);
            } else if (kind < 97) {
                e = new EngineEvent.ReportFiled(++reportId, 1 + rnd.nextInt(members), address(n % (addresses / 10 + 1)),
                        kind < 96 ? Verdict.SPAM : Verdict.TRUSTED, 1.0, at);
            } else {
                e = new EngineEvent.TrapHit(address(n % (addresses / 10 + 1)), 1 + rnd.nextInt(3), null, at);
            }
            if (i < events) {
                engine.apply(e, d -> { });
            } else {
                tail.add(e);
            }
        }
        return tail;
    }

    private static IpBlock address(int n) {
        int first = 20 + (n % 200);
        int rest = (int) ((n * 2_654_435_761L) & 0xffffff);
        return IpBlock.ofV4((first << 24) | rest, 32);
    }
}
