package dev.vidprocme.functions;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.streaming.api.functions.async.ResultFuture;

/**
 * The result of one attempt, completed exactly once: by the worker that ran it, or by the watchdog
 * when the worker overran its deadline. The loser's completion is ignored, and work still running
 * can ask {@link #isDone()} to stop early.
 */
final class OneShot<T> {
    private final ResultFuture<T> result;
    private final AtomicBoolean done = new AtomicBoolean();

    OneShot(ResultFuture<T> result) {
        this.result = result;
    }

    /** Completes with {@code value} unless already completed; returns whether this call did. */
    boolean complete(T value) {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        Completions.complete(result, value);
        return true;
    }

    boolean isDone() {
        return done.get();
    }
}
