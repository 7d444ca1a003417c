package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.io.db.DeadLetterRow;
import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.spec.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The JSON shape of one dead letter in {@code GET /v1/dlq}. */
class DeadLetterItemTest {
    private static final String JOB = "123e4567-e89b-12d3-a456-426614174000";

    @Test
    void notReplayedIsAnExplicitNullAndAtIsUtc() {
        JsonNode json = Json.mapper().valueToTree(ListDeadLettersHandler.Item.of(row(null)));
        assertThat(json.fieldNames())
                .toIterable()
                .containsExactly(
                        "id",
                        "jobId",
                        "stage",
                        "unit",
                        "attempts",
                        "errorClass",
                        "message",
                        "at",
                        "replayedJobId");
        assertThat(json.get("replayedJobId").isNull()).isTrue();
        assertThat(json.get("at").asText()).isEqualTo("2030-01-01T10:00:00.250Z");
        assertThat(json.get("id").asText()).isEqualTo(DeadLetter.idFor(JOB, "decode", 3));
        assertThat(json.get("unit").asInt()).isEqualTo(3);
    }

    @Test
    void replayedNamesTheNewJob() {
        String newJob = "00000000-0000-4000-8000-000000000009";
        JsonNode json = Json.mapper().valueToTree(ListDeadLettersHandler.Item.of(row(newJob)));
        assertThat(json.get("replayedJobId").asText()).isEqualTo(newJob);
    }

    private static DeadLetterRow row(String replayedJobId) {
        long at = Instant.parse("2030-01-01T10:00:00.250Z").toEpochMilli();
        DeadLetter d =
                new DeadLetter(
                        DeadLetter.idFor(JOB, "decode", 3),
                        JOB,
                        "decode",
                        3,
                        4,
                        "decode_failed",
                        "segment 3 never decoded",
                        at,
                        new JobRequest(JOB, "file:///srv/x.mp4", JobSpec.defaults(), at));
        return new DeadLetterRow(d, replayedJobId, replayedJobId == null ? null : Instant.now());
    }
}
