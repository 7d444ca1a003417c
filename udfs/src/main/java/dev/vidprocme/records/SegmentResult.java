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
        String device)
        implements HasDisposition {

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

    public boolean failed() {
        return failureCode != null;
    }
}
