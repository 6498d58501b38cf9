package net.trustbl.trust;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.TrustEngine;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writing a snapshot does not hold the engine lock (issue 14): while the journal's thread is in
 * the middle of writing one (here: stopped inside it), lookups, listings and member views answer.
 */
class SnapshotWithoutEngineLockTest {

    @Test
    void lookupsAnswerWhileASnapshotIsBeingWritten() throws Exception {
        TrustEngineHost host = new TrustEngineHost(EngineConfig.defaults(), new SimpleMeterRegistry());
        long t = 1_800_000_000_000L;
        List<EngineEvent> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            events.add(new EngineEvent.TrafficObserved(IpBlock.ofV4(0x2d000000 + i * 7, 32), 5, t + i));
        }
        events.add(new EngineEvent.TrapHit(IpBlock.parse("45.1.2.3"), 1, t + 5_000));
        host.apply(events, d -> { });

        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream stalling = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
                inside.countDown();
                await(release);
            }
        };
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                host.snapshot(stalling);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(inside.await(30, TimeUnit.SECONDS), "the snapshot started writing");
        assertTrue(host.explain(IpBlock.parse("45.1.2.3"), t + 6_000).listed(), "a lookup answered mid-snapshot");
        assertEquals(3, host.listings().size(), "listings answered mid-snapshot (2 test points + 1)");
        assertEquals(3, host.listingCount());
        release.countDown();
        writing.get(30, TimeUnit.SECONDS);

        TrustEngine restored = host.restore(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(host.listings().toString(), restored.listings().toString());
        assertEquals(2_001, restored.trackedAddresses());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
