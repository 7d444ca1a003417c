package dev.vidprocme.records;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Work that failed every attempt, or could never succeed, with what an operator needs to decide on
 * it: published to the {@code vidproc.dlq} topic and stored for {@code GET /v1/dlq}.
 *
 * @param id derived from (job, stage, unit), so replays of the same failure land on one record
 * @param stage {@code plan} or {@code decode}
 * @param unit the segment index for decode, 0 for plan
 * @param attempts how many times the unit ran
 * @param errorClass what kind of failure: a failure code's wire name or an exception class
 * @param message a readable reason
 * @param atMs when the unit was given up, epoch millis
 * @param request the job event, so the work can be resubmitted
 */
public record DeadLetter(
        String id,
        String jobId,
        String stage,
        int unit,
        int attempts,
        String errorClass,
        String message,
        long atMs,
        JobRequest request) {

    public static String idFor(String jobId, String stage, int unit) {
        return UUID.nameUUIDFromBytes(
                        (jobId + '/' + stage + '/' + unit).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
