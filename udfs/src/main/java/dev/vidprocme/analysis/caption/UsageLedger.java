package dev.vidprocme.analysis.caption;

import java.util.List;

/**
 * Token usage per (job, frame, model). A replay writes the same keys again, so it overwrites
 * instead of adding.
 */
public interface UsageLedger {
    void record(String jobId, List<FrameUsage> usage);

    /** Everything recorded for {@code jobId}; {@link Usage#NONE} when nothing is. */
    Usage totalFor(String jobId);
}
