package dev.vidprocme.io.db;

import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.VideoInfo;
import java.time.Instant;

/** A job as stored: what the API shows and what a restart needs to re-enqueue it. */
public record JobRow(
        String id,
        JobStatus status,
        int priority,
        String specJson,
        String inputUri,
        String sourceName,
        Long sourceBytes,
        Instant createdAt,
        Instant updatedAt,
        double progress,
        VideoInfo video,
        long framesExtracted,
        String errorCode,
        String errorMessage,
        String damage,
        String outputsJson,
        String analysisJson) {

    /** A row without outputs or analysis. */
    public JobRow(
            String id,
            JobStatus status,
            int priority,
            String specJson,
            String inputUri,
            String sourceName,
            Long sourceBytes,
            Instant createdAt,
            Instant updatedAt,
            double progress,
            VideoInfo video,
            long framesExtracted,
            String errorCode,
            String errorMessage,
            String damage) {
        this(
                id,
                status,
                priority,
                specJson,
                inputUri,
                sourceName,
                sourceBytes,
                createdAt,
                updatedAt,
                progress,
                video,
                framesExtracted,
                errorCode,
                errorMessage,
                damage,
                null,
                null);
    }
}
