package net.trustbl.common;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    @Test
    void aBurstPassesThenTheCallerIsToldWhenToRetry() {
        RateLimiter limiter = new RateLimiter(10, 20);
        for (int i = 0; i < 20; i++) {
            limiter.acquire("k", 1);
        }
        ProblemException e = assertThrows(ProblemException.class, () -> limiter.acquire("k", 5));
        assertEquals(429, e.status());
        assertTrue(e.toResponse().getHeaderString("Retry-After") != null);
        limiter.acquire("other", 20); // keys do not share a bucket
    }

    @Test
    void aThrottledKeyStaysThrottledAfterAHundredThousandAndOneOtherKeys() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RateLimiter limiter = new RateLimiter(1 / 60.0, 10, now::get); // login failures: 1 a minute, 10 in a row
        for (int i = 0; i < 10; i++) {
            limiter.charge("victim-guesser");
        }
        assertTrue(limiter.waitSeconds("victim-guesser") > 0);
        // the attacker makes keys by the hundred thousand (the old limiter cleared everything at 100,000)
        for (int i = 0; i <= 100_000; i++) {
            limiter.charge("attacker-" + i);
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertTrue(limiter.waitSeconds("victim-guesser") > 0, "still throttled");
        assertTrue(limiter.size() > 100_000, "no clear-all: " + limiter.size());
    }

    @Test
    void aBucketIsForgottenOnlyOnceItIsFullAgain() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(1, 10, now::get); // full again 10 s after its last use
        for (int i = 0; i < 10; i++) {
            limiter.charge("busy");
        }
        limiter.charge("idle");
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertEquals(2, limiter.size(), "half refilled: both still held");
        assertTrue(limiter.waitSeconds("busy") == 0, "5 tokens back after 5 s");
        for (int i = 0; i < 5; i++) {
            limiter.charge("busy");
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(7));
        assertEquals(1, limiter.size(), "the idle bucket, full again, expired; the busy one is kept");
        now.addAndGet(TimeUnit.SECONDS.toNanos(12));
        assertEquals(0, limiter.size(), "memory goes back to nothing when nobody calls");
        assertEquals(0, limiter.waitSeconds("busy"), "a forgotten bucket is a full one");
    }
}
