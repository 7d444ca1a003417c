package dev.vidprocme.records;

/**
 * The planner's verdict on a job, sent to the tracker: either the probed video and how many
 * segments to expect, or why the job cannot run.
 */
public record JobPlan(
        String jobId,
        VideoInfo video,
        int segmentCount,
        long expectedFrames,
        FailureCode failureCode,
        String failureMessage,
        long submittedAtMs) {

    public static JobPlan failed(
            String jobId, FailureCode code, String message, long submittedAtMs) {
        return new JobPlan(jobId, null, 0, 0, code, message, submittedAtMs);
    }

    public boolean failed() {
        return failureCode != null;
    }
}
