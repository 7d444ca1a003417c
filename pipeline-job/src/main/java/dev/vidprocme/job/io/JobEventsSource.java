package dev.vidprocme.job.io;

import dev.vidprocme.job.config.PipelineConfig;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Kafka source of job events; offsets live in checkpoints, so a restore replays exactly what
 * was pending.
 */
public final class JobEventsSource {
    private JobEventsSource() {}

    @SuppressWarnings(
            "deprecation") // Kafka 4 deprecates OffsetResetStrategy; the connector still takes it.
    public static KafkaSource<String> of(PipelineConfig config) {
        return KafkaSource.<String>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopics(config.jobsTopic())
                .setGroupId(config.consumerGroup())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
    }
}
