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
import org.apache.kafka.clients.admin.AdminClientConfig;
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
    void recordProducedBeforeRestartIsReadAfterIt() throws Exception {
        kafka.createTopics(2, "before-restart");
        String bootstrap = kafka.bootstrapServers();
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            for (int i = 0; i < 10; i++) {
                sent.add("kept-" + i);
                producer.send(new ProducerRecord<>("before-restart", "key", "kept-" + i)).get();
            }
        }

        kafka.restart();

        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
        assertThat(consume("before-restart", sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void clientsOpenedBeforeARestartCarryOnAfterIt() throws Exception {
        kafka.createTopics(1, "across-restart");
        Properties consumerProperties = consumerProperties("across-restart-test");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties());
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties)) {
            consumer.subscribe(List.of("across-restart"));
            producer.send(new ProducerRecord<>("across-restart", "key", "before")).get();
            assertThat(poll(consumer, 1)).containsExactly("before");

            kafka.restart();
            producer.send(new ProducerRecord<>("across-restart", "key", "after")).get();

            assertThat(poll(consumer, 1)).containsExactly("after");
        }
    }

    @Test
    void stoppedBrokerAnswersNobodyUntilRestarted() throws Exception {
        kafka.createTopics(1, "outage");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            producer.send(new ProducerRecord<>("outage", "key", "survives")).get();
        }
        Properties impatient = kafka.clientProperties();
        impatient.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        impatient.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000");

        kafka.stop();
        kafka.stop();
        try (Admin admin = Admin.create(impatient)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        kafka.restart();

        assertThat(consume("outage", 1)).containsExactly("survives");
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

    private static Properties consumerProperties(String group) {
        Properties properties = kafka.clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return properties;
    }

    private static List<String> consume(String topic, int count) {
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerProperties(topic + "-test"))) {
            consumer.subscribe(List.of(topic));
            return poll(consumer, count);
        }
    }

    /**
     * Polls until {@code count} records came or the deadline passed, then returns what came (a
     * short list makes the caller's assertion say what was missing).
     */
    private static List<String> poll(KafkaConsumer<String, String> consumer, int count) {
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
        while (received.size() < count && System.nanoTime() - deadline < 0) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                received.add(record.value());
            }
        }
        return received;
    }
}
