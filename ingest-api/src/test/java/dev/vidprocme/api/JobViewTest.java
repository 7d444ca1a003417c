package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.db.JobDetails;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.VideoInfo;
import dev.vidprocme.spec.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The JSON shape of a job: members appear only when they apply. */
class JobViewTest {
    private static final String ID = "123e4567-e89b-12d3-a456-426614174000";
    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00.123Z");

    @Test
    void queuedUploadHasNoVideoErrorOrDamage() throws Exception {
        JobRow row =
                new JobRow(
                        ID,
                        JobStatus.QUEUED,
                        5,
                        "{}",
                        InputUris.forUpload(ID),
                        "clip.mp4",
                        42L,
                        T0,
                        T0,
                        0,
                        null,
                        0,
                        null,
                        null,
                        null);
        JsonNode json = Json.mapper().valueToTree(JobView.of(row));
        assertThat(json.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "id",
                        "status",
                        "priority",
                        "createdAt",
                        "updatedAt",
                        "progress",
                        "frames",
                        "source");
        assertThat(json.get("createdAt").asText()).isEqualTo("2030-01-01T10:00:00.123Z");
        assertThat(json.get("frames").get("extracted").asLong()).isZero();
        assertThat(json.get("source").get("name").asText()).isEqualTo("clip.mp4");
        assertThat(json.get("source").get("bytes").asLong()).isEqualTo(42);
    }

    @Test
    void failedUriJobShowsErrorVideoAndDamageButNoSource() throws Exception {
        VideoInfo video = new VideoInfo("mov,mp4", "h264", 1920, 1080, 29.97, 12_345, 90, 370);
        JobRow row =
                new JobRow(
                        ID,
                        JobStatus.FAILED,
                        3,
                        "{}",
                        "file:///srv/x.mp4",
                        null,
                        null,
                        T0,
                        T0.plusSeconds(5),
                        1.5,
                        video,
                        17,
                        "decode_failed",
                        "no frame decoded",
                        "corrupt packets at 00:03");
        JsonNode json = Json.mapper().valueToTree(JobView.of(row));
        assertThat(json.has("source")).isFalse();
        assertThat(json.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(json.get("error").get("code").asText()).isEqualTo("decode_failed");
        assertThat(json.get("error").get("message").asText()).isEqualTo("no frame decoded");
        assertThat(json.get("damage").asText()).isEqualTo("corrupt packets at 00:03");
        JsonNode v = json.get("video");
        assertThat(v.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "durationMs", "width", "height", "fps", "codec", "rotation");
        assertThat(v.get("durationMs").asLong()).isEqualTo(12_345);
        assertThat(v.get("rotation").asInt()).isEqualTo(90);
        assertThat(json.get("frames").get("extracted").asLong()).isEqualTo(17);
    }

    @Test
    void errorIsShownOnlyForFailedJobs() {
        JobRow row =
                new JobRow(
                        ID,
                        JobStatus.COMPLETED,
                        3,
                        "{}",
                        "file:///srv/x.mp4",
                        null,
                        null,
                        T0,
                        T0,
                        1,
                        null,
                        3,
                        "decode_failed",
                        "stale",
                        null);
        assertThat(JobView.of(row).error()).isNull();
    }

    @Test
    void cancelledReplayShowsItsOriginButNoError() throws Exception {
        JobRow row =
                new JobRow(
                        ID,
                        JobStatus.CANCELLED,
                        5,
                        "{}",
                        "file:///srv/x.mp4",
                        null,
                        null,
                        T0,
                        T0,
                        0,
                        null,
                        0,
                        null,
                        "cancelled by request",
                        null);
        String deadLetter = "00000000-0000-3000-8000-000000000001";
        JsonNode json = Json.mapper().valueToTree(JobView.of(new JobDetails(row, deadLetter)));
        assertThat(json.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(json.get("replayOf").asText()).isEqualTo(deadLetter);
        assertThat(json.has("error")).isFalse();
        assertThat(Json.mapper().valueToTree(JobView.of(row)).has("replayOf")).isFalse();
    }

    @Test
    void replayOfAnUploadShowsTheOriginalSource() {
        String original = "00000000-0000-4000-8000-000000000002";
        JobRow row =
                new JobRow(
                        ID,
                        JobStatus.PARTIAL,
                        5,
                        "{}",
                        InputUris.forUpload(original),
                        "clip.mp4",
                        42L,
                        T0,
                        T0,
                        1,
                        null,
                        10,
                        null,
                        null,
                        null);
        JobView view = JobView.of(row, "00000000-0000-3000-8000-000000000001");
        assertThat(view.source()).isEqualTo(new JobView.Source("clip.mp4", 42L));
        assertThat(view.error()).isNull();
    }
}
