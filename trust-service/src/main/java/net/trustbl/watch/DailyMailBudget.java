package net.trustbl.watch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Notice mails per member and UTC day. A member watches at most 20 networks of up to a /16, and a
 * busy one changes every run: without a daily bound, free accounts by the thousand would each get a
 * mail every 15 s from the operator's relay (and the notifier sends one after another, so honest
 * members' notices would wait behind theirs). Beyond the budget the changes are left to the watches
 * page. Per replica: with several, a member may get this many from each one that runs the notifier.
 */
final class DailyMailBudget {

    private final int perDay;
    private final ConcurrentHashMap<Long, AtomicInteger> sent = new ConcurrentHashMap<>();
    private volatile long day = Long.MIN_VALUE;

    DailyMailBudget(int perDay) {
        this.perDay = perDay;
    }

    /** True (and counted) when the member may be mailed once more on {@code epochDay}. */
    boolean tryTake(long memberId, long epochDay) {
        if (epochDay != day) {
            synchronized (this) {
                if (epochDay != day) {
                    sent.clear(); // a new day: every member starts again, and the map never outgrows one day's senders
                    day = epochDay;
                }
            }
        }
        return sent.computeIfAbsent(memberId, id -> new AtomicInteger()).incrementAndGet() <= perDay;
    }
}
