package dev.vidprocme.job.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.spec.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The {@code vidproc.dlq} topic: one JSON record per dead letter, keyed by job id, written in Kafka
 * transactions that commit with Flink's checkpoints, so consumers reading committed records see
 * each dead letter exactly once even across restores.
 */
public final class DeadLetterSink {
    /** Longer than any checkpoint takes, shorter than the broker's 15 min maximum. */
    private static final String TRANSACTION_TIMEOUT_MS = String.valueOf(10 * 60 * 1000);

    private DeadLetterSink() {}

    public static KafkaSink<DeadLetter> of(PipelineConfig config) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<DeadLetter>builder()
                                .setTopic(config.dlqTopic())
                                .setKeySerializationSchema(new JobIdKey())
                                .setValueSerializationSchema(new JsonValue())
                                .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                // Unique per pipeline deployment: two pipelines must never fence each other.
                .setTransactionalIdPrefix(config.consumerGroup() + "-dlq")
                .build();
    }

    /**
     * The record as operators read it: {@code at} in ISO-8601, and the original request for replay.
     */
    public static byte[] toJson(DeadLetter d) {
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
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dead letter must always serialise", e);
        }
    }

    /** The job id as the record key, so one job's dead letters share a partition. */
    static final class JobIdKey implements SerializationSchema<DeadLetter> {
        @Override
        public byte[] serialize(DeadLetter d) {
            return d.jobId().getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class JsonValue implements SerializationSchema<DeadLetter> {
        @Override
        public byte[] serialize(DeadLetter d) {
            return toJson(d);
        }
    }
}
