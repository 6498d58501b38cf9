package net.trustbl.gateway.filter;

import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;

import static net.trustbl.gateway.support.FilterCalls.client;
import static net.trustbl.gateway.support.FilterCalls.now;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ESMTP SIZE at MAIL FROM: a declared size above the limit is refused before any data is sent. */
class SizeFilterTest {

    private final SizeFilter filter = new SizeFilter(TestConfigs.gateway("gateway.limits.max-message-size", "1000"));

    private Verdict declaring(long size) {
        Transaction tx = client("192.0.2.1");
        tx.mailFrom = "a@example.org";
        tx.declaredSize = size;
        return now(filter, Stage.MAIL, tx);
    }

    @Test
    void aDeclaredSizeAboveTheLimitIsRefusedWith552NamingTheLimit() {
        assertEquals(Verdict.reject(552, "5.3.4", "Message size exceeds fixed limit of 1000 bytes"), declaring(1001));
        assertEquals(Verdict.reject(552, "5.3.4", "Message size exceeds fixed limit of 1000 bytes"), declaring(Long.MAX_VALUE));
    }

    @Test
    void theLimitItselfAndSmallerSizesPass() {
        assertEquals(Verdict.CONTINUE, declaring(1000), "the limit is inclusive");
        assertEquals(Verdict.CONTINUE, declaring(0));
    }

    @Test
    void aMailFromWithoutSizeIsLeftToTheDataPhase() {
        assertEquals(-1, client("192.0.2.1").declaredSize, "no SIZE= parameter");
        assertEquals(Verdict.CONTINUE, declaring(-1));
    }

    @Test
    void theDefaultLimitIsTenMebibytes() {
        Transaction tx = client("192.0.2.1");
        tx.declaredSize = 10L * 1024 * 1024 + 1;
        assertEquals(Verdict.reject(552, "5.3.4", "Message size exceeds fixed limit of 10485760 bytes"),
                now(new SizeFilter(TestConfigs.gateway()), Stage.MAIL, tx));
    }
}
