package net.trustbl.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Races: runs {@code count} calls of a task on as many threads, all released at one moment, and
 * returns their results in call order (a call's exception is rethrown, wrapped in an
 * ExecutionException). For checks that parallel requests cannot all pass a check-then-act.
 */
public final class AtOnce {

    /** One call of the task; {@code n} counts the calls from 0. */
    @FunctionalInterface
    public interface Task<T> {
        T call(int n) throws Exception;
    }

    private AtOnce() {
    }

    public static <T> List<T> run(int count, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> calls = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int n = i;
                calls.add(pool.submit(() -> {
                    go.await();
                    return task.call(n);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>(count);
            for (Future<T> call : calls) {
                results.add(call.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
