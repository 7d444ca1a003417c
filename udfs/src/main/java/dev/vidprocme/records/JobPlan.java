package dev.vidprocme.records;

/**
 * The planner's verdict on a job, sent to the tracker: either the probed video and how many
 * segments to expect, or why the job cannot run.
 *
 * @param request the job event, kept so a dead letter can carry it for replay (null only when the
 *     event could not be parsed)
 * @param disposition DONE for a plan; otherwise what became of the failed planning attempt
 * @param attempts how many times planning ran, this attempt included
 * @param errorClass the kind of failure, null for a plan
 */
public record JobPlan(
        String jobId,
        VideoInfo video,
        int segmentCount,
        long expectedFrames,
        FailureCode failureCode,
        String failureMessage,
        long submittedAtMs,
        JobRequest request,
        Disposition disposition,
        int attempts,
        String errorClass)
        implements HasDisposition {

    public JobPlan(
            String jobId,
            VideoInfo video,
            int segmentCount,
            long expectedFrames,
            FailureCode failureCode,
            String failureMessage,
            long submittedAtMs) {
        this(
                jobId,
                video,
                segmentCount,
                expectedFrames,
                failureCode,
                failureMessage,
                submittedAtMs,
                null,
                failureCode == null ? Disposition.DONE : Disposition.REJECTED,
                1,
                failureCode == null ? null : failureCode.wireName());
    }

    /** A job whose input or spec can never work. */
    public static JobPlan failed(
            String jobId, FailureCode code, String message, long submittedAtMs) {
        return new JobPlan(jobId, null, 0, 0, code, message, submittedAtMs);
    }

    /** A failed planning attempt with its disposition (retry, dead letter, rejected, dropped). */
    public static JobPlan failed(
            JobRequest request,
            FailureCode code,
            String message,
            Disposition disposition,
            int attempts,
            String errorClass) {
        return new JobPlan(
                request.jobId(),
                null,
                0,
                0,
                code,
                message,
                request.submittedAtMs(),
                request,
                disposition,
                attempts,
                errorClass);
    }

    public JobPlan withRequest(JobRequest jobRequest, int attemptCount) {
        return new JobPlan(
                jobId,
                video,
                segmentCount,
                expectedFrames,
                failureCode,
                failureMessage,
                submittedAtMs,
                jobRequest,
                disposition,
                attemptCount,
                errorClass);
    }

    public boolean failed() {
        return disposition != Disposition.DONE;
    }
}
