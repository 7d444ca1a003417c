package dev.vidprocme.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.spec.Json;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces {@link JobRequest}s as JSON to the jobs topic, keyed by job id, and waits for the
 * acknowledgement of all in-sync replicas.
 */
public final class KafkaJobQueue implements JobQueue {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaJobQueue.class);

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final Duration timeout;

    public KafkaJobQueue(String bootstrap, String topic, Duration timeout) {
        this.producer =
                new KafkaProducer<>(
                        producerProperties(bootstrap, timeout),
                        new StringSerializer(),
                        new StringSerializer());
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * The producer's own limits (metadata wait plus delivery) add up to less than {@code timeout},
     * so by the time {@link #enqueue} gives up the producer has given up too and will not deliver
     * the record later behind the back of a job already marked failed.
     */
    static Properties producerProperties(String bootstrap, Duration timeout) {
        long total = timeout.toMillis();
        long maxBlock = total * 3 / 10;
        long delivery = total * 6 / 10;
        long request = delivery - 50;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vidprocme-ingest-api");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request));
        return p;
    }

    @Override
    public void enqueue(JobRequest request) throws EnqueueException {
        String value;
        try {
            value = Json.mapper().writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new EnqueueException(
                    "cannot serialise the job request: " + e.getOriginalMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // send() itself may block for metadata (bounded by max.block.ms).
            Future<RecordMetadata> ack =
                    producer.send(new ProducerRecord<>(topic, request.jobId(), value));
            RecordMetadata meta =
                    ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            LOG.debug(
                    "job {}: enqueued to {}-{} at offset {}",
                    request.jobId(),
                    meta.topic(),
                    meta.partition(),
                    meta.offset());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new EnqueueException(
                    cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new EnqueueException(
                    "no acknowledgement from Kafka within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnqueueException("interrupted while waiting for Kafka", e);
        } catch (RuntimeException e) {
            // KafkaException and friends from send(), e.g. metadata not available in time.
            throw new EnqueueException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
