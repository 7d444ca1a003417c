package dev.vidprocme.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.io.db.JobDetails;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.VideoInfo;
import dev.vidprocme.spec.Json;

/**
 * The JSON shape of a job, as every job route answers it; null members are left out by the wire
 * mapper.
 *
 * @param status QUEUED and RUNNING move on; COMPLETED, PARTIAL, FAILED and CANCELLED are final
 * @param createdAt ISO-8601 instant
 * @param progress 0..1
 * @param video what probing found; absent until the job has been probed
 * @param error only for FAILED jobs
 * @param damage a note when the stream was damaged but frames were still extracted
 * @param source only for uploads (and replays of uploads)
 * @param replayOf the dead letter this job resubmits, only for replays
 * @param outputs each output's progress, only for jobs with outputs
 * @param analysis what the analysers found, once they ran
 */
public record JobView(
        String id,
        JobStatus status,
        int priority,
        String createdAt,
        String updatedAt,
        double progress,
        Video video,
        Frames frames,
        Error error,
        String damage,
        Source source,
        String replayOf,
        JsonNode outputs,
        JsonNode analysis) {

    private static final String UPLOAD_PREFIX = "blob:";

    /** Stream properties; width and height are the coded size, rotation is clockwise degrees. */
    public record Video(
            long durationMs, int width, int height, double fps, String codec, int rotation) {}

    /** Frame counters. */
    public record Frames(long extracted) {}

    /** Why a job failed; {@code code} is a {@code FailureCode} wire name. */
    public record Error(String code, String message) {}

    /** The uploaded file: sanitised display name (may be absent) and size. */
    public record Source(String name, Long bytes) {}

    public static JobView of(JobDetails job) {
        return of(job.row(), job.replayOf());
    }

    public static JobView of(JobRow row) {
        return of(row, null);
    }

    public static JobView of(JobRow row, String replayOf) {
        VideoInfo v = row.video();
        Video video =
                v == null
                        ? null
                        : new Video(
                                v.durationMs(),
                                v.width(),
                                v.height(),
                                v.fps(),
                                v.codec(),
                                v.rotation());
        Error error = null;
        if (row.status() == JobStatus.FAILED) {
            error =
                    new Error(
                            row.errorCode() == null ? "internal" : row.errorCode(),
                            row.errorMessage() == null ? "" : row.errorMessage());
        }
        Source source = null;
        // Uploads are the jobs whose input is a blob the API stored (their own, or for a replay the
        // original job's); URI jobs show no source.
        if (row.inputUri() != null && row.inputUri().startsWith(UPLOAD_PREFIX)) {
            source = new Source(row.sourceName(), row.sourceBytes());
        }
        double progress =
                Double.isNaN(row.progress()) ? 0 : Math.max(0, Math.min(1, row.progress()));
        return new JobView(
                row.id(),
                row.status(),
                row.priority(),
                row.createdAt().toString(),
                row.updatedAt().toString(),
                progress,
                video,
                new Frames(row.framesExtracted()),
                error,
                row.damage() == null || row.damage().isEmpty() ? null : row.damage(),
                source,
                replayOf,
                outputs(row.outputsJson()),
                parse(row.analysisJson()));
    }

    private static JsonNode outputs(String json) {
        JsonNode node = parse(json);
        return node == null || node.isEmpty() ? null : node;
    }

    /** The stored JSON, or null when there is none (or, never expected, it is unreadable). */
    private static JsonNode parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.mapper().readTree(json);
            return node == null || node.isNull() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
