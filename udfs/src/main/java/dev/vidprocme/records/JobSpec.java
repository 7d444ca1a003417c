package dev.vidprocme.records;

import java.util.List;

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
 * @param analysis what to learn from the analysis frames
 * @param outputs renditions to transcode; empty for none
 * @param thumbnails poster and sprite sheet settings, used when there are outputs
 * @param callbackUrl where every state change of the job is POSTed; null for none
 */
public record JobSpec(
        InputSpec input,
        Integer priority,
        FrameSpec frames,
        Boolean allowPartial,
        AnalysisSpec analysis,
        List<OutputSpec> outputs,
        ThumbnailSpec thumbnails,
        String callbackUrl) {
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
        if (analysis == null) {
            analysis = AnalysisSpec.defaults();
        }
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** A spec without analysis settings, outputs or callback. */
    public JobSpec(InputSpec input, Integer priority, FrameSpec frames, Boolean allowPartial) {
        this(input, priority, frames, allowPartial, null, null, null, null);
    }

    /** Whether the job makes a poster and sprite sheet: with outputs, unless turned off. */
    public boolean wantsThumbnails() {
        return !outputs.isEmpty()
                && (thumbnails == null || !Boolean.FALSE.equals(thumbnails.enabled()));
    }

    /** How many outputs the tracker waits for: each rendition, and the thumbnails. */
    public int outputUnits() {
        return outputs.size() + (wantsThumbnails() ? 1 : 0);
    }

    public static JobSpec defaults() {
        return new JobSpec(null, null, null, null);
    }

    public JobSpec withoutInput() {
        return new JobSpec(
                null, priority, frames, allowPartial, analysis, outputs, thumbnails, callbackUrl);
    }
}
