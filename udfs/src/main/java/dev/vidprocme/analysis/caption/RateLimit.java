package dev.vidprocme.analysis.caption;

import java.io.Serializable;
import java.time.Duration;

/**
 * How much one endpoint may be asked within any window of time: requests and tokens (prompt +
 * completion). Providers publish these per minute; tests and benchmarks use shorter windows.
 *
 * @param requests the most requests in any window
 * @param tokens the most tokens in any window
 * @param window the length of the window
 */
public record RateLimit(int requests, long tokens, Duration window) implements Serializable {
    public RateLimit {
        if (requests < 1) {
            throw new IllegalArgumentException(
                    "caption rate limit: requests per window must be at least 1, got " + requests);
        }
        if (tokens < 1) {
            throw new IllegalArgumentException(
                    "caption rate limit: tokens per window must be at least 1, got " + tokens);
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException(
                    "caption rate limit: the window must be a positive duration, got " + window);
        }
    }

    public static RateLimit perMinute(int requests, long tokens) {
        return new RateLimit(requests, tokens, Duration.ofMinutes(1));
    }
}
