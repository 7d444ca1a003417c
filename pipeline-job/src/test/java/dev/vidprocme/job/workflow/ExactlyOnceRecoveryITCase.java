package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.functions.Backends;
import dev.vidprocme.io.blob.LocalBlobStore;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.job.PipelineJob;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.job.testing.Await;
import dev.vidprocme.job.testing.TestJobs;
import dev.vidprocme.job.testing.TestPipelines;
import dev.vidprocme.job.testing.TestServices;
import dev.vidprocme.job.testing.TopicReader;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a TaskManager while a job is half decoded: after Flink restores from its last checkpoint
 * and replays, every frame exists exactly once (rows and files) and the job ends COMPLETED once.
 */
class ExactlyOnceRecoveryITCase {
    @TempDir Path temp;

    @Test
    void taskManagerKilledMidJobLeavesEveryFrameExactlyOnce() throws Exception {
        TestServices services = TestServices.get();
        String topic = "jobs-recovery-" + UUID.randomUUID();
        services.kafka().createTopics(1, topic);
        Path clips = Files.createDirectories(temp.resolve("clips"));
        LocalBlobStore blobs = new LocalBlobStore(temp.resolve("blobs"));
        // Small segments and one decode worker keep the job running long enough to be interrupted.
        PipelineConfig config =
                TestPipelines.config(
                        services,
                        topic,
                        blobs.root(),
                        List.of(clips),
                        Map.of(
                                "vidproc.segment.target", "2 s",
                                "vidproc.decode.workers", "1",
                                "vidproc.decode.ffmpeg-threads", "1",
                                "vidproc.decode.jpeg-threads", "1",
                                "vidproc.checkpoint.interval", "500 ms"));
        Configuration clusterConfig = new Configuration();
        // Any free port for the REST endpoint: 8081 may belong to a running ./vidproc local.
        clusterConfig.set(RestOptions.BIND_PORT, "0");
        clusterConfig.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        clusterConfig.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        clusterConfig.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        try (MiniCluster cluster =
                        new MiniCluster(
                                new MiniClusterConfiguration.Builder()
                                        .setConfiguration(clusterConfig)
                                        .setNumTaskManagers(2)
                                        .setNumSlotsPerTaskManager(1)
                                        .build());
                TestJobs jobs = new TestJobs(services, blobs, topic)) {
            cluster.start();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            PipelineJob.configure(env, config);
            env.configure(clusterConfig);
            VideoPipeline.defineWorkflow(
                    env, VideoPipeline.Io.of(config), config, Backends.production());
            StreamGraph graph = env.getStreamGraph();
            graph.setJobId(new JobID());
            JobID pipeline = cluster.submitJob(graph).get().getJobID();

            Path clip = SyntheticClips.testPattern(clips.resolve("30s.mp4"), 30, 30, 640, 360);
            String id = jobs.upload(clip, JobSpec.defaults());
            Await.until(
                    "some frames to be stored",
                    Duration.ofMinutes(2),
                    () -> jobs.frameCount(id) >= 60);
            assertThat(jobs.job(id).status()).isEqualTo(JobStatus.RUNNING);

            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();

            JobRow job = jobs.awaitTerminal(id, Duration.ofMinutes(4));
            assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.framesExtracted()).isEqualTo(900);
            List<FrameRow> frames = jobs.frames(id);
            assertThat(frames).hasSize(900);
            assertThat(frames)
                    .extracting(FrameRow::index)
                    .doesNotHaveDuplicates()
                    .allMatch(i -> i >= 0 && i < 900);
            try (Stream<Path> files = Files.list(blobs.root().resolve("frames").resolve(id))) {
                assertThat(files.filter(f -> f.getFileName().toString().endsWith(".jpg")).count())
                        .isEqualTo(900);
            }
            try (Stream<Path> files = Files.list(blobs.root().resolve("frames").resolve(id))) {
                assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count())
                        .as("no half-written objects")
                        .isZero();
            }
            // The job-events topic: every state change once, in order, across the failover.
            List<JsonNode> events =
                    TopicReader.committed(
                            services,
                            config.eventsTopic(),
                            id,
                            e ->
                                    e.stream()
                                            .anyMatch(
                                                    n ->
                                                            n.path("status")
                                                                    .asText()
                                                                    .equals("COMPLETED")),
                            Duration.ofMinutes(1));
            assertThat(events)
                    .extracting(e -> e.path("seq").asInt())
                    .containsExactlyElementsOf(
                            IntStream.rangeClosed(1, events.size()).boxed().toList());
            assertThat(events).extracting(e -> e.path("eventId").asText()).doesNotHaveDuplicates();
            assertThat(events.get(events.size() - 1).path("status").asText())
                    .isEqualTo("COMPLETED");
            cluster.cancelJob(pipeline).get();
        }
    }
}
