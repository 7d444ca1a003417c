package dev.vidprocme.records;

/**
 * What one attempt at decoding a segment produced. Frames and their rows are already stored when
 * this is emitted with {@link Disposition#DONE}.
 *
 * @param failureCode set when the segment produced nothing usable
 * @param damage a readable note: the damage found in a stream that still decoded, or why it failed
 * @param disposition where the result goes next (done, retried, dead-lettered...)
 * @param attempts how many times the segment has been started, this attempt included
 * @param errorClass the kind of failure (a failure code's wire name or an exception class)
 * @param device what decoded it: {@code cpu} or {@code cuda:N}
 * @param analysis what the analysers found in the segment's analysis frames; null until they ran
 */
public record SegmentResult(
        String jobId,
        int segmentIndex,
        long framesWritten,
        long decodeErrors,
        FailureCode failureCode,
        String damage,
        long elapsedMs,
        Disposition disposition,
        int attempts,
        String errorClass,
        String device,
        AnalysisSummary analysis)
        implements HasDisposition {

    /** A result before analysis. */
    public SegmentResult(
            String jobId,
            int segmentIndex,
            long framesWritten,
            long decodeErrors,
            FailureCode failureCode,
            String damage,
            long elapsedMs,
            Disposition disposition,
            int attempts,
            String errorClass,
            String device) {
        this(
                jobId,
                segmentIndex,
                framesWritten,
                decodeErrors,
                failureCode,
                damage,
                elapsedMs,
                disposition,
                attempts,
                errorClass,
                device,
                null);
    }

    /** A first-attempt CPU result: done, or rejected with {@code failureCode}. */
    public SegmentResult(
            String jobId,
            int segmentIndex,
            long framesWritten,
            long decodeErrors,
            FailureCode failureCode,
            String damage,
            long elapsedMs) {
        this(
                jobId,
                segmentIndex,
                framesWritten,
                decodeErrors,
                failureCode,
                damage,
                elapsedMs,
                failureCode == null ? Disposition.DONE : Disposition.REJECTED,
                1,
                failureCode == null ? null : failureCode.wireName(),
                "cpu");
    }

    /** This result with {@code more} added to what the analysers found so far. */
    public SegmentResult withAnalysis(AnalysisSummary more) {
        return new SegmentResult(
                jobId,
                segmentIndex,
                framesWritten,
                decodeErrors,
                failureCode,
                damage,
                elapsedMs,
                disposition,
                attempts,
                errorClass,
                device,
                analysis == null ? more : analysis.plus(more));
    }

    /** This result with another disposition, e.g. an analysis that must be retried. */
    public SegmentResult withDisposition(
            Disposition next, FailureCode code, String message, String error) {
        return new SegmentResult(
                jobId,
                segmentIndex,
                framesWritten,
                decodeErrors,
                code,
                message,
                elapsedMs,
                next,
                attempts,
                error,
                device,
                analysis);
    }

    public boolean failed() {
        return failureCode != null;
    }
}
