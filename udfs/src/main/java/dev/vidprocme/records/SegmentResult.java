package dev.vidprocme.records;

/**
 * What decoding one segment produced. Frames and their rows are already stored when this is
 * emitted.
 *
 * @param failureCode set when the segment produced nothing usable
 * @param damage a readable note when the stream was damaged but some frames decoded
 */
public record SegmentResult(
        String jobId,
        int segmentIndex,
        long framesWritten,
        long decodeErrors,
        FailureCode failureCode,
        String damage,
        long elapsedMs) {

    public boolean failed() {
        return failureCode != null;
    }
}
