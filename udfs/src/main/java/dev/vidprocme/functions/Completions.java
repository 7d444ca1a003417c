package dev.vidprocme.functions;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.functions.async.ResultFuture;

/**
 * Finishing async work while the operator may be shutting down (a failover or a cancel): a
 * completion that arrives after the task's mailbox closed is dropped, since the unit is replayed
 * from the last checkpoint anyway.
 */
final class Completions {
    private Completions() {}

    static <T> void complete(ResultFuture<T> result, T value) {
        complete(result, List.of(value));
    }

    static <T> void complete(ResultFuture<T> result, Collection<T> values) {
        try {
            result.complete(values);
        } catch (RejectedExecutionException closing) {
            // The task is closing; see the class comment.
        }
    }

    static void fail(ResultFuture<?> result, Throwable error) {
        try {
            result.completeExceptionally(error);
        } catch (RejectedExecutionException closing) {
            // The task is closing; see the class comment.
        }
    }

    /** Stops a worker pool and waits briefly, so no worker touches resources closed after it. */
    static void stop(ExecutorService workers) throws InterruptedException {
        if (workers != null) {
            workers.shutdownNow();
            workers.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
