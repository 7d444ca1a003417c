package dev.vidprocme.records;

/**
 * A change of a job's state, emitted by the tracker. {@code seq} grows by one per job with every
 * update, so a sink can apply updates idempotently and never move a job backwards after a replay.
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
        long atMs) {}
