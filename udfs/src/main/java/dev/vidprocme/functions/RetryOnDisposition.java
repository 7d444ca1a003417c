package dev.vidprocme.functions;

import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.HasDisposition;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.apache.flink.streaming.api.functions.async.AsyncRetryPredicate;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;

/**
 * Flink's async retry, driven by the units' own verdicts: an attempt whose result says {@link
 * Disposition#RETRY} is invoked again after the policy's jittered backoff, on a processing-time
 * timer of the async operator, while the element stays in the operator's checkpointed queue.
 *
 * <p>The function decides when a unit is finally dead (it counts attempts in the database, so the
 * count survives restores); this strategy's own bound is a backstop for when it cannot.
 */
public final class RetryOnDisposition<T extends HasDisposition> implements AsyncRetryStrategy<T> {
    private final RetryPolicy policy;

    public RetryOnDisposition(RetryPolicy policy) {
        this.policy = policy;
    }

    @Override
    public boolean canRetry(int currentAttempts) {
        return currentAttempts < policy.maxAttempts();
    }

    @Override
    public long getBackoffTimeMillis(int currentAttempts) {
        return policy.backoffMillis(currentAttempts, ThreadLocalRandom.current()::nextDouble);
    }

    @Override
    public AsyncRetryPredicate<T> getRetryPredicate() {
        return new AsyncRetryPredicate<>() {
            @Override
            public Optional<Predicate<Collection<T>>> resultPredicate() {
                return Optional.of(
                        results ->
                                results.stream()
                                        .anyMatch(r -> r.disposition() == Disposition.RETRY));
            }

            @Override
            public Optional<Predicate<Throwable>> exceptionPredicate() {
                // Exceptions mean the operator is closing; they must fail over, not retry.
                return Optional.empty();
            }
        };
    }
}
