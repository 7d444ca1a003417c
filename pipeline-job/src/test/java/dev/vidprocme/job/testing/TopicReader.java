package dev.vidprocme.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one job's JSON records from a topic as a consumer of committed data does ({@code
 * read_committed}): records of aborted transactions never show, so a duplicate here is a real
 * duplicate.
 */
public final class TopicReader {
    private TopicReader() {}

    /**
     * The records keyed {@code jobId}, once {@code complete} holds for them, plus whatever else is
     * committed by the time the topic has been quiet for a while (a duplicate would be there).
     */
    public static List<JsonNode> committed(
            TestServices services,
            String topic,
            String jobId,
            Predicate<List<JsonNode>> complete,
            Duration timeout)
            throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<JsonNode> mine = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Await.until(
                    "the records of " + jobId + " on " + topic,
                    timeout,
                    () -> {
                        collect(consumer, jobId, mine, Duration.ofMillis(200));
                        return complete.test(mine);
                    });
            for (int quiet = 0; quiet < 3; ) {
                quiet = collect(consumer, jobId, mine, Duration.ofMillis(300)) == 0 ? quiet + 1 : 0;
            }
        }
        return mine;
    }

    private static int collect(
            KafkaConsumer<String, String> consumer,
            String jobId,
            List<JsonNode> into,
            Duration wait) {
        int seen = 0;
        for (ConsumerRecord<String, String> r : consumer.poll(wait)) {
            seen++;
            if (jobId.equals(r.key())) {
                try {
                    into.add(Json.mapper().readTree(r.value()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return seen;
    }
}
