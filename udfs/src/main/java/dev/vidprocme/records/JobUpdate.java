package dev.vidprocme.records;

import java.util.List;

/**
 * A change of a job's state, emitted by the tracker. {@code seq} grows by one per job with every
 * update, so a sink can apply updates idempotently and never move a job backwards after a replay.
 *
 * @param deadLetter a unit given up with this update, stored in the same transaction (or null)
 * @param outputs how far each output (rendition, thumbnails) has come; empty when the job has none
 * @param analysis what the analysers found so far
 * @param scenes the job's scenes, on its terminal update when it has frames; empty otherwise
 */
public record JobUpdate(
        String jobId,
        int seq,
        JobStatus status,
        double progress,
        VideoInfo video,
        long framesExtracted,
        FailureCode failureCode,
        String failureMessage,
        String damage,
        long atMs,
        DeadLetter deadLetter,
        List<OutputProgress> outputs,
        AnalysisSummary analysis,
        List<Scene> scenes) {

    public JobUpdate {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        scenes = scenes == null ? List.of() : List.copyOf(scenes);
    }

    public JobUpdate(
            String jobId,
            int seq,
            JobStatus status,
            double progress,
            VideoInfo video,
            long framesExtracted,
            FailureCode failureCode,
            String failureMessage,
            String damage,
            long atMs) {
        this(
                jobId,
                seq,
                status,
                progress,
                video,
                framesExtracted,
                failureCode,
                failureMessage,
                damage,
                atMs,
                null,
                null,
                null,
                null);
    }

    /** This update carrying the job's scenes. */
    public JobUpdate withScenes(List<Scene> found) {
        return new JobUpdate(
                jobId,
                seq,
                status,
                progress,
                video,
                framesExtracted,
                failureCode,
                failureMessage,
                damage,
                atMs,
                deadLetter,
                outputs,
                analysis,
                found);
    }
}
