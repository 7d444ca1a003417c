package dev.vidprocme.functions;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the transcode stage sizes and bounds its work, read once from the job's configuration and
 * shipped with {@link TranscodeFunction} and {@link TranscodePlanner}'s caller.
 *
 * @param workers parts (or finishing units) encoded at once per subtask
 * @param capacity units admitted per subtask into the async operator's checkpointed queue
 * @param timeout backstop for one unit from admission, waiting and retries included
 * @param deadline how long one attempt at a unit may run before it is given up
 * @param partTarget the part length renditions are cut into (at keyframes where one is near)
 */
public record TranscodeSettings(
        int workers, int capacity, Duration timeout, Duration deadline, Duration partTarget)
        implements Serializable {

    public TranscodeSettings {
        if (workers < 1 || capacity < 1) {
            throw new IllegalArgumentException(
                    "transcode workers and capacity must be at least 1, got "
                            + workers
                            + " and "
                            + capacity);
        }
        if (!positive(timeout) || !positive(deadline) || !positive(partTarget)) {
            throw new IllegalArgumentException(
                    "transcode timeout, deadline and part target must be positive durations");
        }
    }

    public static TranscodeSettings defaults() {
        return new TranscodeSettings(
                1, 64, Duration.ofHours(2), Duration.ofMinutes(30), Duration.ofSeconds(10));
    }

    public long partTargetUs() {
        return partTarget.toNanos() / 1000;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
