package dev.vidprocme.analysis.caption;

import java.io.Serializable;
import java.time.Duration;

/**
 * How transient failures (429, 5xx, timeouts, dropped connections) are retried: exponential backoff
 * with jitter, never sooner than a {@code Retry-After} the endpoint sent.
 *
 * @param maxAttempts attempts per request, the first included
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff the longest wait between attempts (a longer {@code Retry-After} still wins)
 * @param jitter the fraction of each wait that is random, 0..1, so clients that failed together do
 *     not retry together
 */
public record RetrySettings(
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter)
        implements Serializable {
    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "caption retries: maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "caption retries: need 0 <= initialBackoff <= maxBackoff, got "
                            + initialBackoff
                            + " and "
                            + maxBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException(
                    "caption retries: jitter must be between 0 and 1, got " + jitter);
        }
    }

    public static RetrySettings defaults() {
        return new RetrySettings(4, Duration.ofMillis(500), Duration.ofSeconds(30), 0.5);
    }

    /** The wait before attempt {@code attempt + 1}, given a random number in [0, 1). */
    long backoffNanos(int attempt, double random) {
        double base =
                Math.min(
                        maxBackoff.toNanos(),
                        initialBackoff.toNanos() * Math.pow(2, Math.max(0, attempt - 1)));
        return (long) (base * (1 - jitter * random));
    }
}
