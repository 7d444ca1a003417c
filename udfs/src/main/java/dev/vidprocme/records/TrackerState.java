package dev.vidprocme.records;

/**
 * The tracker's running tally for one job.
 *
 * @param seq the last update sequence number emitted
 * @param segmentsDone segments whose results arrived
 * @param frames frames written so far
 * @param damage the first damage note any segment reported
 * @param failureCode the first segment failure, if any
 * @param failureMessage its message
 */
public record TrackerState(
        int seq,
        int segmentsDone,
        long frames,
        String damage,
        FailureCode failureCode,
        String failureMessage) {

    public static TrackerState initial() {
        return new TrackerState(0, 0, 0, null, null, null);
    }

    public TrackerState nextSeq() {
        return new TrackerState(seq + 1, segmentsDone, frames, damage, failureCode, failureMessage);
    }

    public TrackerState with(SegmentResult result) {
        boolean firstFailure = failureCode == null && result.failed();
        return new TrackerState(
                seq,
                segmentsDone + 1,
                frames + result.framesWritten(),
                damage == null && !result.failed() ? result.damage() : damage,
                firstFailure ? result.failureCode() : failureCode,
                firstFailure ? result.damage() : failureMessage);
    }
}
