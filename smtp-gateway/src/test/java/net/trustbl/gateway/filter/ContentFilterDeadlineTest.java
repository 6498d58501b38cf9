package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import net.trustbl.gateway.support.FilterCalls;
import net.trustbl.gateway.support.FilterFixture;
import net.trustbl.gateway.support.LogCapture;
import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.transaction.MessageContent;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static net.trustbl.gateway.support.FilterCalls.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules are the operator's, the text is the sender's: a rule that backtracks catastrophically
 * on crafted text is stopped at {@code gateway.content.scan-timeout} (the message is deferred, not
 * held for minutes), and holds the event loop no longer than the inline budget.
 */
class ContentFilterDeadlineTest {

    @RegisterExtension
    static final FilterFixture env = FilterFixture.vertxOnly();

    /**
     * Exponential in the run of a's before a char that is no 'a' (Java memoises {@code (a+)+} since
     * JDK 9, not a bounded repeat): 30 a's take some 25 s on a 2-core machine, more on a slower one.
     */
    static final String CATASTROPHIC = "^(a+){1,40}$";
    static final String CRAFTED = "a".repeat(30) + "!";
    static final Verdict TIMED_OUT = Verdict.tempfail(451, "4.3.2", "Content scan timed out, try again later");
    /**
     * Room on a loaded 2-core machine (scheduling, GC, JIT) beyond the times under test: the event
     * loop's budget plus this, the scan-timeout plus {@link #SLACK}; without the deadline the crafted
     * body takes tens of seconds.
     */
    static final Duration MARGIN = Duration.ofMillis(300);
    static final Duration SLACK = Duration.ofSeconds(1);
    /** A test that hangs is a failure, not a stuck build. */
    static final Duration HANG = Duration.ofSeconds(15);

    static ContentFilter filter(String pattern, String timeout, String... more) {
        String[] keys = {
            "gateway.content.rules[0].where", "body",
            "gateway.content.rules[0].pattern", pattern,
            "gateway.content.rules[0].reason", "Message looks like pharmacy spam",
            "gateway.content.scan-timeout", timeout};
        String[] all = java.util.Arrays.copyOf(keys, keys.length + more.length);
        System.arraycopy(more, 0, all, keys.length, more.length);
        return new ContentFilter(env.vertx(), TestConfigs.gateway(all));
    }

    static Transaction message(String text) {
        Transaction tx = client("192.0.2.1");
        tx.message = MessageContent.of(text.getBytes(StandardCharsets.ISO_8859_1));
        return tx;
    }

    /** One check started on an event loop, as the SMTP session does. */
    record Run(Verdict verdict, long tookNanos, long heldNanos, boolean answeredThere, long loopFreeAfterNanos) {
    }

    static Run onEventLoop(Vertx vertx, ContentFilter filter, Transaction tx) throws Exception {
        CompletableFuture<Verdict> out = new CompletableFuture<>();
        CompletableFuture<Long> loopFree = new CompletableFuture<>();
        long[] held = new long[1];
        boolean[] there = new boolean[1];
        long start = System.nanoTime();
        vertx.runOnContext(v -> {
            long called = System.nanoTime();
            // runs only once the event loop thread is free again
            vertx.setTimer(1, id -> loopFree.complete(System.nanoTime() - called));
            Future<Verdict> answer = filter.check(Stage.END_OF_DATA, tx);
            held[0] = System.nanoTime() - called;
            there[0] = answer.isComplete();
            answer.onComplete(ar -> {
                if (ar.succeeded()) {
                    out.complete(ar.result());
                } else {
                    out.completeExceptionally(ar.cause());
                }
            });
        });
        Verdict verdict = out.get(30, TimeUnit.SECONDS);
        long took = System.nanoTime() - start;
        return new Run(verdict, took, held[0], there[0], loopFree.get(30, TimeUnit.SECONDS));
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void aCatastrophicRuleOnACraftedBodyIsDeferredAtTheScanTimeoutNotAfterMinutes() {
        ContentFilter slow = filter(CATASTROPHIC, "300ms");
        Transaction tx = message("Subject: x\r\n\r\n" + CRAFTED + "\r\n");
        try (LogCapture log = new LogCapture(ContentFilter.class.getName(), Level.WARNING)) {
            Run run = assertTimeoutPreemptively(HANG, () -> onEventLoop(env.vertx(), slow, tx));
            assertEquals(TIMED_OUT, run.verdict());
            assertTrue(run.tookNanos() >= TimeUnit.MILLISECONDS.toNanos(300), "not before the deadline: " + millis(run.tookNanos()) + " ms");
            assertTrue(run.tookNanos() < Duration.ofMillis(300).plus(SLACK).toNanos(),
                    "at about the deadline: " + millis(run.tookNanos()) + " ms");
            List<String> lines = log.messages();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("timed out") && lines.get(0).contains("gateway.content.rules[0]"), lines.get(0));
            assertFalse(lines.get(0).contains("aaaa"), "never the message content: " + lines.get(0));
        }
    }

    @Test
    void theEventLoopIsHeldNoLongerThanTheInlineBudget() {
        ContentFilter slow = filter(CATASTROPHIC, "1s");
        Transaction tx = message("Subject: x\r\n\r\n" + CRAFTED + "\r\n");
        Run run = assertTimeoutPreemptively(HANG, () -> onEventLoop(env.vertx(), slow, tx));
        long budget = ContentFilter.INLINE_BUDGET_NANOS + MARGIN.toNanos();
        assertTrue(run.heldNanos() < budget, "check held the event loop " + millis(run.heldNanos()) + " ms");
        assertTrue(run.loopFreeAfterNanos() < budget, "the loop's next task ran after " + millis(run.loopFreeAfterNanos()) + " ms");
        assertFalse(run.answeredThere(), "the scan went on on a worker");
        assertEquals(TIMED_OUT, run.verdict(), "with the whole scan-timeout, still too slow");
        assertTrue(run.tookNanos() >= TimeUnit.SECONDS.toNanos(1), "the worker had the whole scan-timeout: " + millis(run.tookNanos()) + " ms");
    }

    @Test
    void aRuleTooSlowForTheEventLoopStillDecidesFromAWorker() {
        // tens to hundreds of milliseconds of backtracking on the first line, then a match
        ContentFilter slowButDone = filter(CATASTROPHIC + "|cheap pills", "20s");
        Transaction tx = message("Subject: x\r\n\r\n" + "a".repeat(24) + "!\r\nBuy cheap pills\r\n");
        Run run = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> onEventLoop(env.vertx(), slowButDone, tx));
        assertEquals(Verdict.reject(550, "5.7.1", "Message looks like pharmacy spam"), run.verdict());
        assertTrue(run.heldNanos() < ContentFilter.INLINE_BUDGET_NANOS + MARGIN.toNanos(),
                "check held the event loop " + millis(run.heldNanos()) + " ms");
        assertFalse(run.answeredThere(), "decided on a worker");
    }

    @Test
    void theDecodedTextPartsShareTheDeadline() {
        ContentFilter slow = filter(CATASTROPHIC, "300ms");
        String encoded = java.util.Base64.getMimeEncoder().encodeToString((CRAFTED + "\r\n").getBytes(StandardCharsets.US_ASCII));
        Transaction tx = message("Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + encoded + "\r\n");
        Run run = assertTimeoutPreemptively(HANG, () -> onEventLoop(env.vertx(), slow, tx));
        assertEquals(TIMED_OUT, run.verdict(), "the deadline is not swallowed with the decoder's errors");
        assertTrue(run.tookNanos() < Duration.ofMillis(300).plus(SLACK).toNanos(), millis(run.tookNanos()) + " ms");
    }

    @Test
    void aBigMessageOnAWorkerHasTheSameDeadline() {
        ContentFilter slow = filter(CATASTROPHIC, "300ms");
        String line = "nothing to see in this line of the report, just figures 0123456789\r\n";
        String filler = line.repeat(ContentFilter.INLINE_LIMIT / line.length() + 1);
        Transaction tx = message("Subject: report\r\n\r\n" + filler + CRAFTED + "\r\n");
        Run run = assertTimeoutPreemptively(HANG, () -> onEventLoop(env.vertx(), slow, tx));
        assertEquals(TIMED_OUT, run.verdict());
        assertTrue(run.tookNanos() < Duration.ofMillis(300).plus(SLACK).toNanos(), millis(run.tookNanos()) + " ms");
    }

    @Test
    void aTimeoutIsDeferredAlsoWhenUninspectableMailIsRejectedAndPassesTaggedWhenItIsTagged() {
        Transaction tx = message("Subject: x\r\n\r\n" + CRAFTED + "\r\n");
        ContentFilter rejecting = filter(CATASTROPHIC, "100ms", "gateway.content.uninspectable-action", "reject");
        assertEquals(TIMED_OUT, assertTimeoutPreemptively(HANG, () -> onEventLoop(env.vertx(), rejecting, tx)).verdict(),
                "running out of time says nothing about the message: never a bounce");
        ContentFilter tagging = filter(CATASTROPHIC, "100ms", "gateway.content.uninspectable-action", "tag");
        assertEquals(Verdict.tag("X-TrustBL-Content: uninspectable (scan timed out)", null),
                assertTimeoutPreemptively(HANG, () -> onEventLoop(env.vertx(), tagging, tx)).verdict());
    }

    @Test
    void aScanStillQueuedForAWorkerAtTheDeadlineIsDeferred() throws Exception {
        Vertx oneWorker = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
        CountDownLatch release = new CountDownLatch(1);
        try {
            FilterCalls.takeWorker(oneWorker, release); // the scan waits in the queue past its deadline
            ContentFilter plain = new ContentFilter(oneWorker, TestConfigs.gateway(
                    "gateway.content.rules[0].pattern", "cheap\\s+pills",
                    "gateway.content.scan-timeout", "200ms"));
            String line = "nothing to see in this line of the report, just figures 0123456789\r\n";
            Transaction big = message("Subject: report\r\n\r\n" + line.repeat(ContentFilter.INLINE_LIMIT / line.length() + 1));
            Run run = assertTimeoutPreemptively(HANG, () -> onEventLoop(oneWorker, plain, big));
            assertEquals(TIMED_OUT, run.verdict());
        } finally {
            release.countDown();
            FilterCalls.close(oneWorker);
        }
    }

    @Test
    void aScanTimeoutThatIsNoTimeStopsStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> filter("x", "0s"));
        assertTrue(e.getMessage().startsWith("gateway.content.scan-timeout must be positive"), e.getMessage());
    }
}
