package dev.vidprocme.job.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.spec.Json;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * A Kafka topic the pipeline writes JSON records to in transactions that commit with Flink's
 * checkpoints: what a failed epoch wrote is aborted and written again after the restore, so a
 * consumer reading committed records sees each record exactly once.
 */
final class TransactionalTopic {
    /** Longer than any checkpoint takes, shorter than the broker's 15 min maximum. */
    private static final String TRANSACTION_TIMEOUT_MS = String.valueOf(10 * 60 * 1000);

    /** How a record becomes a Kafka key and a JSON value. */
    interface Codec<T> extends Serializable {
        String key(T record);

        ObjectNode json(T record);
    }

    private TransactionalTopic() {}

    /**
     * @param name distinguishes this sink's transactional ids from the pipeline's other sinks
     */
    static <T> KafkaSink<T> sink(PipelineConfig config, String topic, String name, Codec<T> codec) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<T>builder()
                                .setTopic(topic)
                                .setKeySerializationSchema(new Key<>(codec))
                                .setValueSerializationSchema(new Value<>(codec))
                                .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                // Unique per pipeline deployment and sink: two must never fence each other.
                .setTransactionalIdPrefix(config.consumerGroup() + "-" + name)
                .build();
    }

    static <T> byte[] bytes(Codec<T> codec, T record) {
        try {
            return Json.mapper().writeValueAsBytes(codec.json(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ours must always serialise", e);
        }
    }

    private static final class Key<T> implements SerializationSchema<T> {
        private final Codec<T> codec;

        Key(Codec<T> codec) {
            this.codec = codec;
        }

        @Override
        public byte[] serialize(T record) {
            return codec.key(record).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final class Value<T> implements SerializationSchema<T> {
        private final Codec<T> codec;

        Value(Codec<T> codec) {
            this.codec = codec;
        }

        @Override
        public byte[] serialize(T record) {
            return bytes(codec, record);
        }
    }
}
