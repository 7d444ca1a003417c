package dev.vidprocme.analysis.caption;

import java.io.Serializable;
import java.time.Duration;

/**
 * When an endpoint's circuit breaker opens and how long it stays open before one probe request.
 *
 * @param failureThreshold consecutive failed requests that open the breaker
 * @param coolDown how long it stays open before a half-open probe
 */
public record BreakerSettings(int failureThreshold, Duration coolDown) implements Serializable {
    public BreakerSettings {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException(
                    "caption circuit breaker: failureThreshold must be at least 1, got "
                            + failureThreshold);
        }
        if (coolDown == null || coolDown.isNegative()) {
            throw new IllegalArgumentException(
                    "caption circuit breaker: coolDown must not be negative, got " + coolDown);
        }
    }

    public static BreakerSettings defaults() {
        return new BreakerSettings(5, Duration.ofSeconds(30));
    }
}
