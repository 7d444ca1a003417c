package dev.vidprocme.embedded;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Polls a condition with a short, growing backoff until it holds or a deadline passes. */
final class Await {
    private static final long FIRST_BACKOFF_MS = 10;
    private static final long MAX_BACKOFF_MS = 200;

    /** A check that may fail outright by throwing, rather than just answering "not yet". */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {}

    static void until(Duration timeout, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoff = FIRST_BACKOFF_MS;
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException(
                        what + " did not happen within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }
}
