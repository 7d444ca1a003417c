package dev.vidprocme.local;

import dev.vidprocme.api.ApiConfig;
import dev.vidprocme.api.IngestApi;
import dev.vidprocme.embedded.EmbeddedKafka;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.job.PipelineJob;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.job.config.PipelineOptions;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one process tree on real parts: PostgreSQL (data kept under the data dir), a
 * KRaft Kafka broker, the pipeline on a Flink MiniCluster with its web UI and Prometheus endpoint,
 * and the ingest API. Kafka starts empty each time, so jobs a previous run left unfinished are
 * enqueued again; their writes are idempotent, so a redo leaves each frame once.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    static final String JOBS_TOPIC = "vidproc.jobs";
    static final String DLQ_TOPIC = "vidproc.dlq";
    static final String EVENTS_TOPIC = "vidproc.job-events";
    private static final int JOB_PARTITIONS = 4;

    private final LocalOptions options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private EmbeddedKafka kafka;
    private JobClient pipeline;
    private IngestApi api;
    private String apiToken;
    private Path blobRoot;
    private DbSettings db;
    private int requeued;

    private LocalStack(LocalOptions options) {
        this.options = options;
    }

    /** Starts everything; on any failure, stops what already started and rethrows. */
    public static LocalStack start(LocalOptions options) throws Exception {
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path data = Files.createDirectories(options.dataDir().toAbsolutePath());
        blobRoot = Files.createDirectories(data.resolve("blobs"));
        apiToken = apiToken(data);

        postgres = EmbeddedPostgres.builder().dataDirectory(data.resolve("postgres")).start();
        started.add(postgres);
        db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Database.migrate(db);

        kafka = EmbeddedKafka.start();
        started.add(kafka);
        kafka.createTopics(JOB_PARTITIONS, JOBS_TOPIC);
        kafka.createTopics(1, DLQ_TOPIC);
        kafka.createTopics(JOB_PARTITIONS, EVENTS_TOPIC);

        PipelineConfig config = PipelineConfig.from(pipelineSettings(db));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkSettings(data));
        env.setParallelism(options.parallelism());
        PipelineJob.build(env, config);
        pipeline = env.executeAsync(PipelineJob.JOB_NAME);
        started.add(() -> pipeline.cancel().get(30, TimeUnit.SECONDS));

        api =
                IngestApi.start(
                        ApiConfig.builder()
                                .port(options.apiPort())
                                .apiToken(apiToken)
                                .blobStoreUri(blobRoot.toUri().toString())
                                .db(db)
                                .kafkaBootstrap(kafka.bootstrapServers())
                                .jobsTopic(JOBS_TOPIC)
                                .allowedInputRoots(options.inputRoots())
                                .build());
        started.add(api);
        requeued = requeueUnfinished(db);
    }

    private Configuration pipelineSettings(DbSettings db) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
        c.set(PipelineOptions.JOBS_TOPIC, JOBS_TOPIC);
        c.set(PipelineOptions.DLQ_TOPIC, DLQ_TOPIC);
        c.set(PipelineOptions.EVENTS_TOPIC, EVENTS_TOPIC);
        c.set(PipelineOptions.DB_URL, db.jdbcUrl());
        c.set(PipelineOptions.DB_USER, db.user());
        c.set(PipelineOptions.DB_PASSWORD, db.password());
        c.set(PipelineOptions.BLOB_URI, blobRoot.toUri().toString());
        c.set(
                PipelineOptions.INPUT_ROOTS,
                options.inputRoots().stream().map(p -> p.toAbsolutePath().toString()).toList());
        return c;
    }

    private Configuration flinkSettings(Path data) throws IOException {
        Configuration c = new Configuration();
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(RestOptions.PORT, options.flinkUiPort());
        c.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Files.createDirectories(data.resolve("checkpoints")).toUri().toString());
        c.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString(
                "metrics.reporter.prom.port",
                options.metricsPort() + "-" + (options.metricsPort() + 10));
        return c;
    }

    /**
     * Puts jobs that were QUEUED or RUNNING when the last run stopped back on the (fresh) jobs
     * topic.
     */
    private int requeueUnfinished(DbSettings db) throws Exception {
        List<JobRow> unfinished;
        try (Database database = Database.connect(db, 1, "requeue")) {
            unfinished = new JobRepository(database.dataSource()).unfinished();
        }
        if (unfinished.isEmpty()) {
            return 0;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (JobRow job : unfinished) {
                JobSpec spec = Json.mapper().readValue(job.specJson(), JobSpec.class);
                JobRequest request =
                        new JobRequest(
                                job.id(), job.inputUri(), spec, job.createdAt().toEpochMilli());
                producer.send(
                        new ProducerRecord<>(
                                JOBS_TOPIC, job.id(), Json.mapper().writeValueAsString(request)));
            }
            producer.flush();
        }
        LOG.info("enqueued {} unfinished job(s) from the previous run again", unfinished.size());
        return unfinished.size();
    }

    /**
     * The API token: VIDPROC_API_TOKEN, else one generated once and kept (0600) in the data dir.
     */
    private static String apiToken(Path data) throws IOException {
        String fromEnv = System.getenv("VIDPROC_API_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Path file = data.resolve("api-token");
        if (Files.isRegularFile(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token);
        return token;
    }

    public String apiUrl() {
        return api.baseUrl();
    }

    public String apiToken() {
        return apiToken;
    }

    public Path blobRoot() {
        return blobRoot;
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public String postgresUrl() {
        return postgres.jdbcUrl();
    }

    public DbSettings db() {
        return db;
    }

    public int requeued() {
        return requeued;
    }

    /** Where the Flink web UI answers. */
    public URI flinkUi() {
        return URI.create("http://127.0.0.1:" + options.flinkUiPort() + "/");
    }

    /** Stops everything in reverse order of starting; safe to call more than once. */
    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
        started.clear();
    }
}
