package dev.vidprocme.job.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits for a condition with a deadline: tests synchronise on what happened, never on a fixed
 * sleep.
 */
public final class Await {
    private Await() {}

    public static <T> T until(String what, Duration timeout, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoffMs = 10;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(backoffMs);
            backoffMs = Math.min(200, backoffMs * 2);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
    }
}
