package net.trustbl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/** The numbers in every explanation: kept strings must read exactly as freshly made ones. */
class TwoDecimalsTest {

    @Test
    void readsAsTheValueRoundedToCents() {
        double[] values = {0, 0.004, 0.005, 0.07, 0.1, 0.5, 1, 1.005, 2.375, 12.345, 99.99, 99.994, 99.995, 100, 1234.5, -0.5, -12.07};
        for (double v : values) {
            String expected = BigDecimal.valueOf(Math.round(v * 100)).movePointLeft(2).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
            assertEquals(expected, Explainer.twoDecimals(v), "v=" + v);
            assertEquals(expected, Explainer.twoDecimals(v), "again (kept), v=" + v);
        }
    }

    @Test
    void everyKeptValueIsItsOwnNumber() {
        for (int cents = 0; cents < 12_000; cents++) {
            String s = Explainer.twoDecimals(cents / 100.0);
            assertEquals(cents, Math.round(Double.parseDouble(s) * 100), s);
        }
        assertSame(Explainer.twoDecimals(1.0), Explainer.twoDecimals(1.0), "0.00-99.99 are made once");
    }
}
