package dev.vidprocme.notify;

import dev.vidprocme.records.JobEvents;
import dev.vidprocme.records.JobUpdate;

/**
 * What a callback receives for one job state change: the same JSON as the {@code
 * vidproc.job-events} topic. {@code eventId} is {@code jobId:seq}, the same however often the
 * update is replayed.
 */
public record WebhookEvent(String eventId, String jobId, int seq, byte[] body) {

    public static WebhookEvent of(JobUpdate u) {
        return new WebhookEvent(JobEvents.eventId(u), u.jobId(), u.seq(), JobEvents.bytes(u));
    }

    public static String eventId(JobUpdate u) {
        return JobEvents.eventId(u);
    }
}
