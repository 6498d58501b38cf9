package net.trustbl.ui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The delisting and exclusion forms' checks, which anyone can reach for any listed address. */
class DelistFormTest {

    @Test
    void aValidRequestHasNoProblem() {
        assertNull(PublicPages.DelistForm.problem("postmaster@example.org", "our server, fixed"));
    }

    @Test
    void aVeryLongEmailIsRefusedWithAReasonNotAStackOverflow() {
        // the address pattern recurses per label: checked before the length, 4 KB of ".a" overflowed the stack (a 500)
        String email = "x@a" + ".a".repeat(50_000);
        assertNotNull(PublicPages.DelistForm.problem(email, ""));
        assertNotNull(PublicPages.DelistForm.problem("x@" + "a".repeat(300) + ".example", ""));
    }
}
