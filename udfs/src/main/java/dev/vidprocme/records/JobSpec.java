package dev.vidprocme.records;

/**
 * What a user asked for. Absent sections take their defaults; {@link
 * dev.vidprocme.spec.JobSpecParser} rejects unknown fields and out-of-range values before a spec
 * gets here.
 *
 * @param input the URI to read, only for JSON submissions (uploads carry the file instead)
 * @param priority 0..9, higher runs first
 * @param frames frame sampling and encoding
 * @param allowPartial when a unit is dead-lettered, finish the rest and end PARTIAL instead of
 *     FAILED
 */
public record JobSpec(InputSpec input, Integer priority, FrameSpec frames, Boolean allowPartial) {
    public static final int DEFAULT_PRIORITY = 5;

    public JobSpec {
        if (priority == null) {
            priority = DEFAULT_PRIORITY;
        }
        if (frames == null) {
            frames = FrameSpec.everyFrame();
        }
        if (allowPartial == null) {
            allowPartial = false;
        }
    }

    public static JobSpec defaults() {
        return new JobSpec(null, null, null, null);
    }

    public JobSpec withoutInput() {
        return new JobSpec(null, priority, frames, allowPartial);
    }
}
