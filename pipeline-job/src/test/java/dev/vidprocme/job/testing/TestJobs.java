package dev.vidprocme.job.testing;

import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.LocalBlobStore;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.spec.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits jobs the way the ingest API does (job row QUEUED, upload in the blob store, event on the
 * jobs topic) and reads back what the pipeline stored.
 */
public final class TestJobs implements AutoCloseable {
    private final Database database;
    private final JobRepository jobs;
    private final FrameRepository frames;
    private final LocalBlobStore blobs;
    private final KafkaProducer<String, String> producer;
    private final String topic;

    public TestJobs(TestServices services, LocalBlobStore blobs, String topic) {
        this.database = Database.connect(services.db(), 4, "test-jobs");
        this.jobs = new JobRepository(database.dataSource());
        this.frames = new FrameRepository(database.dataSource());
        this.blobs = blobs;
        this.topic = topic;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Submits {@code file} as an upload. */
    public String upload(Path file, JobSpec spec) throws Exception {
        String id = UUID.randomUUID().toString();
        try (InputStream in = Files.newInputStream(file)) {
            blobs.put(BlobKeys.upload(id), in, Long.MAX_VALUE);
        }
        submit(id, InputUris.forUpload(id), spec, file.getFileName().toString());
        return id;
    }

    /** Submits a job that reads {@code uri} (file:// under an allowed root). */
    public String byUri(String uri, JobSpec spec) throws Exception {
        String id = UUID.randomUUID().toString();
        submit(id, uri, spec, null);
        return id;
    }

    private void submit(String id, String inputUri, JobSpec spec, String name) throws Exception {
        jobs.insertQueued(
                id, spec.priority(), Json.mapper().writeValueAsString(spec), inputUri, name, null);
        JobRequest request = new JobRequest(id, inputUri, spec, System.currentTimeMillis());
        producer.send(new ProducerRecord<>(topic, id, Json.mapper().writeValueAsString(request)))
                .get(10, TimeUnit.SECONDS);
    }

    /** Produces a raw event, for malformed-input tests. */
    public void sendRaw(String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    }

    public JobRow awaitTerminal(String id, Duration timeout) throws Exception {
        return Await.until(
                "job " + id + " to finish",
                timeout,
                () -> jobs.find(id).filter(j -> j.status().isTerminal()).orElse(null));
    }

    public JobRow job(String id) throws Exception {
        return jobs.find(id).orElseThrow();
    }

    public List<FrameRow> frames(String id) throws Exception {
        return frames.page(id, 0, Integer.MAX_VALUE);
    }

    public long frameCount(String id) throws Exception {
        return frames.count(id);
    }

    public Path blobFile(String key) {
        return blobs.localPath(key).orElseThrow();
    }

    @Override
    public void close() {
        producer.close();
        database.close();
    }
}
