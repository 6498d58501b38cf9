package net.trustbl.watch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DailyMailBudgetTest {

    @Test
    void eachMemberGetsItsDailyMailsAndAgainTheNextDay() {
        DailyMailBudget budget = new DailyMailBudget(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(budget.tryTake(1, 100));
        }
        assertFalse(budget.tryTake(1, 100), "the fourth mail of the day");
        assertTrue(budget.tryTake(2, 100), "another member has its own budget");
        assertTrue(budget.tryTake(1, 101), "the next day");
        assertFalse(budget.tryTake(1, 101) && budget.tryTake(1, 101) && budget.tryTake(1, 101));
    }
}
