package dev.vidprocme.job.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.spec.Json;
import java.time.Instant;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The {@code vidproc.dlq} topic: one JSON record per dead letter, keyed by job id, written exactly
 * once (see {@link TransactionalTopic}).
 */
public final class DeadLetterSink {
    private static final TransactionalTopic.Codec<DeadLetter> CODEC = new Codec();

    private DeadLetterSink() {}

    public static KafkaSink<DeadLetter> of(PipelineConfig config) {
        return TransactionalTopic.sink(config, config.dlqTopic(), "dlq", CODEC);
    }

    /** The record as operators read it: {@code at} in ISO-8601, and the original request. */
    public static byte[] toJson(DeadLetter d) {
        return TransactionalTopic.bytes(CODEC, d);
    }

    private static final class Codec implements TransactionalTopic.Codec<DeadLetter> {
        @Override
        public String key(DeadLetter d) {
            return d.jobId();
        }

        @Override
        public ObjectNode json(DeadLetter d) {
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("id", d.id());
            node.put("jobId", d.jobId());
            node.put("stage", d.stage());
            node.put("unit", d.unit());
            node.put("attempts", d.attempts());
            node.put("errorClass", d.errorClass());
            node.put("message", d.message());
            node.put("at", Instant.ofEpochMilli(d.atMs()).toString());
            node.set("request", Json.mapper().valueToTree(d.request()));
            return node;
        }
    }
}
