package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Producer settings: durable, and bounded by the enqueue timeout. */
class KafkaJobQueueTest {
    @Test
    void producerIsDurableAndGivesUpBeforeTheCaller() {
        for (Duration timeout :
                new Duration[] {
                    Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(1)
                }) {
            Properties p = KafkaJobQueue.producerProperties("localhost:9092", timeout);
            assertThat(p.getProperty("acks")).isEqualTo("all");
            assertThat(p.getProperty("enable.idempotence")).isEqualTo("true");
            assertThat(p.getProperty("linger.ms")).isEqualTo("0");
            long block = Long.parseLong(p.getProperty("max.block.ms"));
            long delivery = Long.parseLong(p.getProperty("delivery.timeout.ms"));
            long request = Long.parseLong(p.getProperty("request.timeout.ms"));
            // Kafka's own constraint, and ours: the producer is done before enqueue() stops
            // waiting.
            assertThat(delivery).isGreaterThanOrEqualTo(request);
            assertThat(block + delivery).isLessThan(timeout.toMillis());
        }
    }
}
