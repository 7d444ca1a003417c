package dev.vidprocme.records;

/**
 * The tracker's running tally for one job.
 *
 * @param seq the last update sequence number emitted
 * @param segmentsDone segments whose final results arrived (whatever their disposition)
 * @param frames frames written so far
 * @param damage the first damage note any segment reported
 * @param failureCode the first segment failure, if any
 * @param failureMessage its message
 * @param deadLetters segments given up after every attempt
 * @param dropped segments skipped because the job was cancelled or had ended
 * @param outputsDone outputs (renditions, thumbnails) finished and verified, or given up
 * @param analysis what the analysers found so far
 */
public record TrackerState(
        int seq,
        int segmentsDone,
        long frames,
        String damage,
        FailureCode failureCode,
        String failureMessage,
        int deadLetters,
        int dropped,
        int outputsDone,
        AnalysisSummary analysis) {

    public TrackerState {
        if (analysis == null) {
            analysis = AnalysisSummary.none();
        }
    }

    public static TrackerState initial() {
        return new TrackerState(0, 0, 0, null, null, null, 0, 0, 0, null);
    }

    public TrackerState nextSeq() {
        return new TrackerState(
                seq + 1,
                segmentsDone,
                frames,
                damage,
                failureCode,
                failureMessage,
                deadLetters,
                dropped,
                outputsDone,
                analysis);
    }

    public TrackerState with(SegmentResult result) {
        Disposition d = result.disposition();
        boolean firstFailure = failureCode == null && result.failed() && d != Disposition.DROPPED;
        return new TrackerState(
                seq,
                segmentsDone + 1,
                frames + (d == Disposition.DROPPED ? 0 : result.framesWritten()),
                damage == null && d == Disposition.DONE ? result.damage() : damage,
                firstFailure ? result.failureCode() : failureCode,
                firstFailure ? result.damage() : failureMessage,
                deadLetters + (d.lost() ? 1 : 0),
                dropped + (d == Disposition.DROPPED ? 1 : 0),
                outputsDone,
                analysis.plus(result.analysis()));
    }

    /** Counts an output that is finished, or given up when partial results are allowed. */
    public TrackerState withOutputDone(TranscodeResult result) {
        boolean lost = result.disposition() != Disposition.DONE;
        boolean firstFailure = failureCode == null && lost;
        return new TrackerState(
                seq,
                segmentsDone,
                frames,
                damage,
                firstFailure ? result.failureCode() : failureCode,
                firstFailure ? result.message() : failureMessage,
                deadLetters + (lost ? 1 : 0),
                dropped,
                outputsDone + 1,
                analysis);
    }
}
