package dev.vidprocme.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Talks to {@link EmbeddedKafka} with the ordinary Kafka clients. */
class EmbeddedKafkaTest {
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void consumesTheRecordsItProduced() throws Exception {
        kafka.createTopics(1, "round-trip");
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            for (int i = 0; i < 10; i++) {
                sent.add("record-" + i);
                producer.send(new ProducerRecord<>("round-trip", "key-" + i, "record-" + i)).get();
            }
        }

        assertThat(consume("round-trip", sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void creatingExistingTopicsAgainIsHarmless() throws Exception {
        kafka.createTopics(3, "twice", "also-twice");
        kafka.createTopics(3, "twice", "also-twice");

        try (Admin admin = Admin.create(kafka.clientProperties())) {
            assertThat(
                            admin.describeTopics(Set.of("twice"))
                                    .allTopicNames()
                                    .get()
                                    .get("twice")
                                    .partitions())
                    .hasSize(3);
        }
    }

    @Test
    void runsTheReleasedMetadataVersion() throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            FinalizedVersionRange metadataVersion =
                    admin.describeFeatures()
                            .featureMetadata()
                            .get()
                            .finalizedFeatures()
                            .get(MetadataVersion.FEATURE_NAME);

            assertThat(metadataVersion.maxVersionLevel())
                    .isEqualTo(MetadataVersion.latestProduction().featureLevel());
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        EmbeddedKafka own = EmbeddedKafka.start();
        own.close();

        assertThatCode(own::close).doesNotThrowAnyException();
        assertThatThrownBy(own::bootstrapServers).isInstanceOf(IllegalStateException.class);
    }

    private static Properties producerProperties() {
        Properties properties = kafka.clientProperties();
        properties.put(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return properties;
    }

    private static List<String> consume(String topic, int count) {
        Properties properties = kafka.clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip-test");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            while (received.size() < count && System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                }
            }
        }
        return received;
    }
}
