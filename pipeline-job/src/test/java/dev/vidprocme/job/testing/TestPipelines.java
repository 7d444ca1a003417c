package dev.vidprocme.job.testing;

import dev.vidprocme.functions.Backends;
import dev.vidprocme.io.blob.LocalBlobStore;
import dev.vidprocme.job.PipelineJob;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.job.config.PipelineOptions;
import dev.vidprocme.job.workflow.VideoPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Pipeline configurations for tests: the real settings, pointed at the test's own topic and
 * folders.
 */
public final class TestPipelines {
    private TestPipelines() {}

    public static PipelineConfig config(
            TestServices services,
            String topic,
            Path blobRoot,
            List<Path> inputRoots,
            Map<String, String> overrides) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.KAFKA_BOOTSTRAP, services.kafka().bootstrapServers());
        c.set(PipelineOptions.JOBS_TOPIC, topic);
        c.set(PipelineOptions.CONSUMER_GROUP, topic + "-group");
        c.set(PipelineOptions.DLQ_TOPIC, dlqTopic(topic));
        c.set(PipelineOptions.EVENTS_TOPIC, eventsTopic(topic));
        services.kafka().createTopics(1, dlqTopic(topic));
        services.kafka().createTopics(2, eventsTopic(topic));
        c.set(PipelineOptions.DB_URL, services.db().jdbcUrl());
        c.set(PipelineOptions.DB_USER, services.db().user());
        c.set(PipelineOptions.DB_PASSWORD, services.db().password());
        c.set(PipelineOptions.BLOB_URI, blobRoot.toUri().toString());
        c.set(
                PipelineOptions.INPUT_ROOTS,
                inputRoots.stream()
                        .map(p -> p.toAbsolutePath().toString())
                        .collect(Collectors.toList()));
        overrides.forEach(c::setString);
        return PipelineConfig.from(c);
    }

    /**
     * What one test class's pipeline works on: its own jobs and dead-letter topics and blob store
     * on the shared services, and the configuration pointing at them.
     */
    public record Setup(
            TestServices services, String topic, LocalBlobStore blobs, PipelineConfig config) {

        /** A client that submits jobs to this pipeline and reads back what it stored. */
        public TestJobs jobs() {
            return new TestJobs(services, blobs, topic);
        }
    }

    /**
     * Creates a jobs topic named after {@code name} with two partitions, a blob store under {@code
     * temp}, and the configuration with {@code overrides}.
     */
    public static Setup setup(
            String name, Path temp, List<Path> inputRoots, Map<String, String> overrides)
            throws IOException {
        TestServices services = TestServices.get();
        String topic = name + "-" + UUID.randomUUID();
        services.kafka().createTopics(2, topic);
        LocalBlobStore blobs = new LocalBlobStore(temp.resolve("blobs"));
        return new Setup(
                services,
                topic,
                blobs,
                config(services, topic, blobs.root(), inputRoots, overrides));
    }

    /**
     * Defines the production graph on {@code env} with {@code backends} and starts it; the caller
     * cancels the returned client.
     */
    public static JobClient run(
            StreamExecutionEnvironment env, Setup setup, Backends backends, String jobName)
            throws Exception {
        PipelineJob.configure(env, setup.config());
        VideoPipeline.defineWorkflow(
                env, VideoPipeline.Io.of(setup.config()), setup.config(), backends);
        return env.executeAsync(jobName);
    }

    /** Cancels a pipeline {@link #run} started and closes its jobs client; either may be null. */
    public static void stop(JobClient pipeline, TestJobs jobs) throws Exception {
        if (pipeline != null) {
            pipeline.cancel().get();
        }
        if (jobs != null) {
            jobs.close();
        }
    }

    /** {@link #run} on the test's MiniCluster at parallelism 2. */
    public static JobClient run(Setup setup, Backends backends, String jobName) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return run(env, setup, backends, jobName);
    }

    /** The dead-letter topic of the pipeline reading {@code topic}; created by {@link #config}. */
    public static String dlqTopic(String topic) {
        return topic + ".dlq";
    }

    /** The job-events topic of the pipeline reading {@code topic}; created by {@link #config}. */
    public static String eventsTopic(String topic) {
        return topic + ".events";
    }

    /**
     * The shared test videos beside the checkout ({@code ../shared/media}), if this machine has
     * them.
     */
    public static Path sharedMedia() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/media");
            if (candidate.resolve("MANIFEST.json").toFile().isFile()) {
                return candidate;
            }
        }
        return null;
    }
}
