package dev.vidprocme.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidprocme.spec.Json;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The one JSON form of a job state change: what the {@code vidproc.job-events} topic carries and
 * what a webhook receives, byte for byte, so a consumer can switch between them freely.
 */
public final class JobEvents {
    private JobEvents() {}

    /** {@code jobId:seq}: the same however often the update is replayed. */
    public static String eventId(JobUpdate u) {
        return u.jobId() + ":" + u.seq();
    }

    public static ObjectNode json(JobUpdate u) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("eventId", eventId(u));
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
        if (!u.outputs().isEmpty()) {
            ArrayNode outputs = node.putArray("outputs");
            for (OutputProgress output : u.outputs()) {
                outputs.addObject()
                        .put("name", output.name())
                        .put("progress", output.progress())
                        .put("done", output.done());
            }
        }
        node.put("at", Instant.ofEpochMilli(u.atMs()).toString());
        return node;
    }

    public static byte[] bytes(JobUpdate u) {
        try {
            return Json.mapper().writeValueAsBytes(json(u));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
