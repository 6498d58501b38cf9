package net.trustbl.gateway.filter;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.support.FilterCalls;
import net.trustbl.gateway.transaction.MessageContent;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scan runs on a worker thread under a deadline: a scan that has not finished in time (still
 * queued for a worker, or still running) is deferred, never refused, whatever the uninspectable
 * action: a busy gateway must not bounce good mail.
 */
class AttachmentFilterDeadlineTest {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        release.countDown();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aScanStillQueuedAtTheDeadlineFailsClosedAndAFreeWorkerScans() throws Exception {
        Transaction tx = new Transaction(InetAddress.getLoopbackAddress());
        tx.message = MessageContent.of(AttachmentScannerTest.mail("report.pdf", "%PDF-1.4".getBytes()).readAllBytes());

        Verdict clean = new AttachmentFilter(vertx, limits("reject", Duration.ofSeconds(10)), 10_000_000)
                .check(Stage.END_OF_DATA, tx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.Kind.CONTINUE, clean.kind(), "a free worker scans the clean message");

        // the only worker thread is taken: the scan waits in the queue past its deadline
        FilterCalls.takeWorker(vertx, release);
        Verdict late = new AttachmentFilter(vertx, limits("defer", Duration.ofMillis(200)), 10_000_000)
                .check(Stage.END_OF_DATA, tx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(451, late.code(), late.toString());
        assertTrue(late.text().contains("scan deadline passed"), late.text());
    }

    @Test
    void aScanStillQueuedAtTheDeadlineIsDeferredEvenWhenUninspectableMailIsRejected() throws Exception {
        Transaction tx = new Transaction(InetAddress.getLoopbackAddress());
        tx.message = MessageContent.of(AttachmentScannerTest.mail("report.pdf", "%PDF-1.4".getBytes()).readAllBytes());
        FilterCalls.takeWorker(vertx, release);
        Verdict late = new AttachmentFilter(vertx, limits("reject", Duration.ofMillis(200)), 10_000_000)
                .check(Stage.END_OF_DATA, tx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.Kind.TEMPFAIL, late.kind(), late.toString());
        assertEquals(451, late.code(), late.toString());
        assertEquals("4.3.2", late.status(), late.toString());
        assertTrue(late.text().contains("try again later"), late.text());
    }

    @Test
    void aScanThatRunsPastItsDeadlineIsDeferredEvenWhenUninspectableMailIsRejected() {
        AttachmentScanner.Finding timedOut = new AttachmentScanner(java.util.Set.of("exe"), java.util.Set.of(),
                java.util.Set.of(), true, 10_000_000)
                .scan(AttachmentScannerTest.mail("docs.zip", new RawZip().add("a.pdf", "%PDF-1.4".getBytes()).bytes()),
                        new ScanBudget(4, 64L * 1024 * 1024, 10_000, -1));
        Verdict v = AttachmentFilter.verdict(timedOut, false);
        assertEquals(Verdict.Kind.TEMPFAIL, v.kind(), v.toString());
        assertEquals(451, v.code(), v.toString());
    }

    private static GatewayConfig.Attachments limits(String action, Duration timeout) {
        return new GatewayConfig.Attachments() {
            public List<String> blockedExtensions() {
                return List.of("exe");
            }

            public Optional<List<String>> blockedTypes() {
                return Optional.empty();
            }

            public boolean scanZip() {
                return true;
            }

            public String uninspectableAction() {
                return action;
            }

            public Optional<List<String>> passUninspectedFormats() {
                return Optional.empty();
            }

            public int maxDepth() {
                return 4;
            }

            public long maxInflatedBytes() {
                return 64L * 1024 * 1024;
            }

            public int maxEntries() {
                return 10_000;
            }

            public Duration scanTimeout() {
                return timeout;
            }
        };
    }
}
