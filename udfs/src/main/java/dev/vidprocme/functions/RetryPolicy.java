package dev.vidprocme.functions;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently a failed unit of work is tried again: exponential backoff with
 * jitter, bounded both in attempts and in the time since the first attempt started.
 *
 * @param maxAttempts attempts in all, the first included (1 = never retry)
 * @param initialBackoff the wait after the first failure
 * @param maxBackoff the longest single wait
 * @param multiplier growth of the wait per failure
 * @param jitter the share of each wait that is random, 0..1: a wait {@code d} becomes a uniform
 *     draw from {@code [d * (1 - jitter), d]}, so units that failed together do not retry together
 * @param maxTotal no attempt starts later than this after the first one started
 */
public record RetryPolicy(
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        double jitter,
        Duration maxTotal)
        implements Serializable {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within 0..1, got " + jitter);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "backoff must satisfy 0 <= initial <= max, got "
                            + initialBackoff
                            + " and "
                            + maxBackoff);
        }
    }

    /** A policy that never retries. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1, 0, Duration.ZERO);
    }

    /**
     * The wait before the next attempt after {@code failedAttempts} failures (1 after the first
     * failure).
     */
    public long backoffMillis(int failedAttempts, DoubleSupplier random) {
        double base = initialBackoff.toMillis() * Math.pow(multiplier, failedAttempts - 1);
        double capped = Math.min(base, maxBackoff.toMillis());
        return Math.round(capped * (1 - jitter * random.getAsDouble()));
    }

    /**
     * Whether a unit that has run {@code attempts} times, the first starting at {@code
     * firstStartedAtMs}, may run again at {@code nowMs}.
     */
    public boolean mayRetry(int attempts, long firstStartedAtMs, long nowMs) {
        return attempts < maxAttempts && nowMs - firstStartedAtMs < maxTotal.toMillis();
    }
}
