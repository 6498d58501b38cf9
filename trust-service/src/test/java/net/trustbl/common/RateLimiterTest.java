package net.trustbl.common;

import org.junit.jupiter.api.Test;

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
}
