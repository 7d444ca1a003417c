package dev.vidprocme.job.testing;

import static dev.vidprocme.records.JobStatus.COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.LocalBlobStore;
import dev.vidprocme.io.db.AnalysisRepository;
import dev.vidprocme.io.db.Cancellation;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DeadLetterRepository;
import dev.vidprocme.io.db.DeadLetterRow;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.io.db.OutputRepository;
import dev.vidprocme.io.db.OutputRow;
import dev.vidprocme.io.db.QueueRepository;
import dev.vidprocme.io.db.SceneRepository;
import dev.vidprocme.io.db.SearchHit;
import dev.vidprocme.io.db.SearchRepository;
import dev.vidprocme.records.FrameAnalysis;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.Scene;
import dev.vidprocme.spec.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
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
    private final DeadLetterRepository deadLetters;
    private final QueueRepository queue;
    private final LocalBlobStore blobs;
    private final KafkaProducer<String, String> producer;
    private final String topic;

    public TestJobs(TestServices services, LocalBlobStore blobs, String topic) {
        this.database = Database.connect(services.db(), 4, "test-jobs");
        this.jobs = new JobRepository(database.dataSource());
        this.frames = new FrameRepository(database.dataSource());
        this.deadLetters = new DeadLetterRepository(database.dataSource());
        this.queue = new QueueRepository(database.dataSource());
        this.blobs = blobs;
        this.topic = topic;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Submits {@code file} as an upload. */
    public String upload(Path file, JobSpec spec) throws Exception {
        return upload(file, spec, UUID.randomUUID().toString());
    }

    /** Submits {@code file} as an upload under a chosen id (to arm faults for it first). */
    public String upload(Path file, JobSpec spec, String id) throws Exception {
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

    /**
     * Waits until the pipeline is demonstrably in the middle of {@code ids}: frames of some are
     * stored while others have not finished, the moment a chaos test breaks something. Returns how
     * many were unfinished then.
     */
    public int awaitInFlight(List<String> ids, Duration timeout) throws Exception {
        return Await.until(
                "frames stored while some of " + ids.size() + " jobs are unfinished",
                timeout,
                () -> {
                    long stored = 0;
                    int unfinished = 0;
                    for (String id : ids) {
                        stored += frameCount(id);
                        unfinished += job(id).status().isTerminal() ? 0 : 1;
                    }
                    return stored > 0 && unfinished > 0 ? unfinished : null;
                });
    }

    /**
     * Asserts that job {@code id} completed with every one of its {@code frames} frames exactly
     * once: one row per index 0..frames-1, one JPEG per frame in the blob store and no half-written
     * temporary object beside them.
     */
    public void assertCompletedExactlyOnce(String id, int frames) throws Exception {
        JobRow job = job(id);
        assertThat(job.status()).as("job %s: %s", id, job.errorMessage()).isEqualTo(COMPLETED);
        assertThat(job.framesExtracted()).as("job %s frames extracted", id).isEqualTo(frames);
        assertThat(frames(id))
                .as("job %s frame rows", id)
                .extracting(FrameRow::index)
                .containsExactlyElementsOf(LongStream.range(0, frames).boxed().toList());
        Path folder = blobFile(BlobKeys.frame(id, 0)).getParent();
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("job %s objects under %s", id, folder)
                    .filteredOn(name -> !name.endsWith(".jpg"))
                    .isEmpty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.count()).as("job %s JPEG files", id).isEqualTo(frames);
        }
    }

    public JobRow job(String id) throws Exception {
        return jobs.find(id).orElseThrow();
    }

    public List<FrameAnalysis> analyses(String id) throws Exception {
        return new AnalysisRepository(database.dataSource()).forJob(id);
    }

    public List<Scene> scenes(String id) throws Exception {
        return new SceneRepository(database.dataSource()).list(id);
    }

    public List<SearchHit> searchText(String query, String jobId) throws Exception {
        return new SearchRepository(database.dataSource()).text(query, jobId, 20);
    }

    public List<FrameRow> frames(String id) throws Exception {
        return frames.page(id, 0, Integer.MAX_VALUE);
    }

    public long frameCount(String id) throws Exception {
        return frames.count(id);
    }

    /** The job's units of {@code stage} by unit number: state, attempts, gpu, decoder. */
    public Map<Integer, UnitRow> units(String id, String stage) throws Exception {
        Map<Integer, UnitRow> units = new TreeMap<>();
        try (Connection c = database.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT unit, state, attempts, gpu, decoder, first_started_at"
                                        + " FROM work_units WHERE job_id = ? AND stage = ?")) {
            ps.setString(1, id);
            ps.setString(2, stage);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int gpu = rs.getInt(4);
                    Timestamp first = rs.getTimestamp(6);
                    units.put(
                            rs.getInt(1),
                            new UnitRow(
                                    rs.getString(2),
                                    rs.getInt(3),
                                    rs.wasNull() ? null : gpu,
                                    rs.getString(5),
                                    first == null ? null : first.toInstant()));
                }
            }
        }
        return units;
    }

    /** One row of {@code work_units}. */
    public record UnitRow(
            String state, int attempts, Integer gpu, String decoder, Instant firstStartedAt) {}

    /** What {@code GET /v1/queue} reports. */
    public List<QueueRepository.Bin> queue() throws Exception {
        return queue.bins();
    }

    public List<DeadLetterRow> deadLetters(String id) throws Exception {
        return deadLetters.list(id, 100);
    }

    /** Cancels the job the way {@code DELETE /v1/jobs/{id}} does. */
    public boolean cancel(String id) throws Exception {
        return jobs.cancel(id).map(Cancellation::cancelled).orElse(false);
    }

    /** The job's {@code outputs} rows, by name. */
    public List<OutputRow> outputs(String id) throws Exception {
        return new OutputRepository(database.dataSource()).list(id);
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
