package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.LocalBlobStore;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.io.db.OutputRow;
import dev.vidprocme.job.PipelineJob;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.job.testing.Faults;
import dev.vidprocme.job.testing.FaultyBackends;
import dev.vidprocme.job.testing.TestJobs;
import dev.vidprocme.job.testing.TestPipelines;
import dev.vidprocme.job.testing.TestServices;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.media.transcode.OutputVerifier;
import dev.vidprocme.media.transcode.StreamProbe;
import dev.vidprocme.records.AudioOutputSpec;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.ThumbnailSpec;
import dev.vidprocme.records.VideoOutputSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * Kills a TaskManager while a rendition's parts are being encoded (held at the blob store, so
 * provably mid-work): after Flink restores and replays, the job completes with its output once,
 * complete and verified, and no part left behind.
 */
class TranscodeRecoveryITCase {
    private static final int SECONDS = 20;
    private static final int FPS = 25;

    @TempDir Path temp;

    @Test
    void taskManagerKilledMidTranscodeLeavesEachOutputOnceAndVerified() throws Exception {
        TestServices services = TestServices.get();
        String topic = "jobs-transcode-recovery-" + UUID.randomUUID();
        services.kafka().createTopics(1, topic);
        Path clips = Files.createDirectories(temp.resolve("clips"));
        LocalBlobStore blobs = new LocalBlobStore(temp.resolve("blobs"));
        PipelineConfig config =
                TestPipelines.config(
                        services,
                        topic,
                        blobs.root(),
                        List.of(clips),
                        Map.of(
                                "vidproc.transcode.part-target", "5 s",
                                "vidproc.transcode.workers", "1",
                                "vidproc.checkpoint.interval", "500 ms"));
        Configuration clusterConfig = new Configuration();
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
                    env, VideoPipeline.Io.of(config), config, new FaultyBackends());
            StreamGraph graph = env.getStreamGraph();
            graph.setJobId(new JobID());
            JobID pipeline = cluster.submitJob(graph).get().getJobID();

            Path clip =
                    SyntheticClips.testPatternWithTone(
                            clips.resolve("20s.mp4"), SECONDS, FPS, 320, 240);
            JobSpec spec =
                    new JobSpec(
                            null,
                            null,
                            null,
                            null,
                            null,
                            List.of(
                                    new OutputSpec(
                                            "small",
                                            "mp4",
                                            new VideoOutputSpec("h264", 180, 26, null, null, null),
                                            new AudioOutputSpec("aac", null))),
                            new ThumbnailSpec(false, null, null, null),
                            null);
            String id = UUID.randomUUID().toString();
            // Both transcode subtasks' workers hold an encoded part at the store: mid-work.
            CountDownLatch atGate = Faults.gatePartWrites(id, 2);
            jobs.upload(clip, spec, id);
            assertThat(atGate.await(3, TimeUnit.MINUTES))
                    .as("two parts encoded and held at the blob store")
                    .isTrue();
            assertThat(jobs.job(id).status()).isEqualTo(JobStatus.RUNNING);

            cluster.terminateTaskManager(0).get();
            Faults.openPartGate(id);
            cluster.startTaskManager();

            JobRow job = jobs.awaitTerminal(id, Duration.ofMinutes(4));
            assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
            assertThat(jobs.outputs(id)).extracting(OutputRow::name).containsExactly("small.mp4");
            Path mp4 = jobs.blobFile(BlobKeys.output(id, "small.mp4"));
            OutputVerifier.verify(
                    mp4,
                    new OutputVerifier.Expectation(
                            "h264",
                            240,
                            180,
                            SECONDS * 1_000_000L,
                            1_000_000 / FPS,
                            SECONDS * FPS,
                            "aac"));
            assertThat(MediaProbe.probe(mp4).framePtsUs()).hasSize(SECONDS * FPS);
            assertThat(StreamProbe.probe(mp4).video().height()).isEqualTo(180);
            try (Stream<Path> files = Files.walk(blobs.root().resolve("outputs").resolve(id))) {
                assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                        .containsExactly("small.mp4");
            }
            Path work = blobs.root().resolve("work").resolve(id);
            if (Files.exists(work)) {
                try (Stream<Path> left = Files.walk(work)) {
                    assertThat(left.filter(Files::isRegularFile)).as("parts left behind").isEmpty();
                }
            }
            cluster.cancelJob(pipeline).get();
        }
    }
}
