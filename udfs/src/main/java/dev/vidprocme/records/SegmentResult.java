package dev.vidprocme.records;

import java.util.List;

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
 * @param scenes what scene detection saw in the segment; null when it did not run
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
        AnalysisSummary analysis,
        SceneSignals scenes)
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
                null,
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
                analysis == null ? more : analysis.plus(more),
                scenes);
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
                analysis,
                scenes);
    }

    /** Start times of the scenes that begin inside this segment (the detector's transitions). */
    public List<Long> sceneStartsMs() {
        if (scenes == null) {
            return List.of();
        }
        return scenes.transitions().stream().map(t -> t.ptsUs() / 1000).toList();
    }

    public boolean failed() {
        return failureCode != null;
    }
}
