package dev.vidprocme.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.spec.Json;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * What a callback receives for one job state change: the same JSON as the {@code
 * vidproc.job-events} topic. {@code eventId} is {@code jobId:seq}, the same however often the
 * update is replayed.
 */
public record WebhookEvent(String eventId, String jobId, int seq, byte[] body) {

    public static WebhookEvent of(JobUpdate u) {
        ObjectNode node = Json.mapper().createObjectNode();
        String eventId = eventId(u);
        node.put("eventId", eventId);
        node.put("jobId", u.jobId());
        node.put("seq", u.seq());
        node.put("status", u.status().name());
        node.put("progress", u.progress());
        node.put("framesExtracted", u.framesExtracted());
        if (u.failureCode() != null) {
            ObjectNode error = node.putObject("error");
            error.put("code", u.failureCode().wireName());
            error.put("message", u.failureMessage());
        }
        if (u.damage() != null) {
            node.put("damage", u.damage());
        }
        if (u.deadLetter() != null) {
            node.put("deadLetterId", u.deadLetter().id());
        }
        node.put("at", Instant.ofEpochMilli(u.atMs()).toString());
        try {
            return new WebhookEvent(
                    eventId, u.jobId(), u.seq(), Json.mapper().writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String eventId(JobUpdate u) {
        return u.jobId() + ":" + u.seq();
    }
}
